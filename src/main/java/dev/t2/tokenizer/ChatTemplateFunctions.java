package dev.t2.tokenizer;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The globals transformers adds to every chat template: raise_exception and strftime_now. */
final class ChatTemplateFunctions {
    private ChatTemplateFunctions() {}

    /** Context key of the render's clock; not a valid Jinja identifier, so templates cannot see or shadow it. */
    private static final String CLOCK = "t2.clock";

    /** Thrown by raise_exception; carried through Jinjava's error list and rethrown by {@link ChatTemplate}. */
    static final class RaisedByTemplate extends ChatTemplateException {
        RaisedByTemplate(String message) {
            super(message);
        }
    }

    /** raise_exception(message): the template rejects the conversation, e.g. "roles must alternate". */
    public static Object raiseException(Object message) {
        throw new RaisedByTemplate(String.valueOf(message));
    }

    /** strftime_now(format): the current local time formatted with Python's strftime directives. */
    public static String strftimeNow(String format) {
        Object clock = JinjavaInterpreter.getCurrent().getContext().get(CLOCK);
        ZonedDateTime now = ZonedDateTime.now(clock instanceof Clock c ? c : Clock.systemDefaultZone());
        return PythonStrftime.format(now, format);
    }

    /** Puts the globals into a render's variables so that "strftime_now is defined" holds as in Jinja2. */
    static void defineGlobals(Map<String, Object> variables, Clock clock) {
        variables.put(CLOCK, clock);
        variables.put("raise_exception", "<function raise_exception>");
        variables.put("strftime_now", "<function strftime_now>");
    }

    /** The exception raise_exception threw while rendering, if this error came from it. */
    static ChatTemplateException raisedBy(TemplateError error) {
        for (Throwable t = error.getException(); t != null; t = t.getCause()) {
            if (t instanceof RaisedByTemplate raised) return new ChatTemplateException(raised.getMessage(), raised);
            if (t.getCause() == t) break;
        }
        return null;
    }

    /** Deep copy into mutable maps and lists, so templates get Python-like dicts and never touch the caller's data. */
    static Object mutableCopy(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), mutableCopy(v)));
            return copy;
        }
        if (value instanceof Collection<?> items) {
            List<Object> copy = new ArrayList<>(items.size());
            for (Object item : items) copy.add(mutableCopy(item));
            return copy;
        }
        if (value instanceof Object[] items) return mutableCopy(java.util.Arrays.asList(items));
        return value;
    }
}
