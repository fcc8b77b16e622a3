package dev.t2.tokenizer;

import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.time.temporal.ChronoField;
import java.util.Locale;

/**
 * Python's {@code datetime.now().strftime(format)} on Linux (C locale, naive local time), which is what
 * transformers' strftime_now calls; Llama-3.x templates use it for "Today Date: 26 Jul 2024".
 */
final class PythonStrftime {
    private PythonStrftime() {}

    static String format(ZonedDateTime t, String format) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 >= format.length()) {
                out.append(c);
                continue;
            }
            char d = format.charAt(++i);
            // glibc's "%-d" style: the same field without padding.
            boolean unpadded = d == '-' && i + 1 < format.length();
            if (unpadded) d = format.charAt(++i);
            String field = field(t, d);
            if (field == null) {
                out.append('%').append(unpadded ? "-" : "").append(d);
            } else {
                out.append(unpadded && field.length() > 1 ? field.replaceFirst("^[0 ]+(?=.)", "") : field);
            }
        }
        return out.toString();
    }

    /** One directive's text, or null for an unknown directive (kept literally, as glibc does). */
    private static String field(ZonedDateTime t, char directive) {
        return switch (directive) {
            case 'a' -> t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.US);
            case 'A' -> t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.US);
            case 'w' -> Integer.toString(t.getDayOfWeek().getValue() % 7);
            case 'd' -> two(t.getDayOfMonth());
            case 'e' -> String.format("%2d", t.getDayOfMonth());
            case 'b', 'h' -> t.getMonth().getDisplayName(TextStyle.SHORT, Locale.US);
            case 'B' -> t.getMonth().getDisplayName(TextStyle.FULL, Locale.US);
            case 'm' -> two(t.getMonthValue());
            case 'y' -> two(t.getYear() % 100);
            case 'Y' -> Integer.toString(t.getYear());
            case 'H' -> two(t.getHour());
            case 'I' -> two(t.getHour() % 12 == 0 ? 12 : t.getHour() % 12);
            case 'p' -> t.getHour() < 12 ? "AM" : "PM";
            case 'M' -> two(t.getMinute());
            case 'S' -> two(t.getSecond());
            case 'f' -> String.format("%06d", t.get(ChronoField.MICRO_OF_SECOND));
            case 'j' -> String.format("%03d", t.getDayOfYear());
            case 'U' -> two((t.getDayOfYear() + 6 - t.getDayOfWeek().getValue() % 7) / 7);
            case 'W' -> two((t.getDayOfYear() + 6 - (t.getDayOfWeek().getValue() + 6) % 7) / 7);
            case 'c' -> field(t, 'a') + " " + field(t, 'b') + " " + field(t, 'e') + " " + field(t, 'X') + " " + t.getYear();
            case 'x' -> field(t, 'm') + "/" + field(t, 'd') + "/" + field(t, 'y');
            case 'X', 'T' -> field(t, 'H') + ":" + field(t, 'M') + ":" + field(t, 'S');
            case 'D' -> field(t, 'x');
            case 'F' -> t.getYear() + "-" + field(t, 'm') + "-" + field(t, 'd');
            case 'R' -> field(t, 'H') + ":" + field(t, 'M');
            // datetime.now() is naive: no zone.
            case 'z', 'Z' -> "";
            case 'n' -> "\n";
            case 't' -> "\t";
            case '%' -> "%";
            default -> null;
        };
    }

    private static String two(int value) {
        return value < 10 ? "0" + value : Integer.toString(value);
    }
}
