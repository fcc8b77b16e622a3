package dev.t2.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.t2.tensor.DType;
import dev.t2.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Builds and takes apart safetensors bytes by hand, independently of the code under test. */
final class RawSafetensors {
    private RawSafetensors() {}

    /** 8-byte little-endian length, then the header bytes exactly as given, then the data. */
    static byte[] bytes(long headerLength, byte[] header, byte[] data) {
        return ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(headerLength).put(header).put(data).array();
    }

    static byte[] bytes(String headerJson, byte[] data) {
        byte[] header = headerJson.getBytes(StandardCharsets.UTF_8);
        return bytes(header.length, header, data);
    }

    static Path write(Path file, byte[] bytes) {
        try {
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long headerLength(byte[] file) {
        return ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    static String headerText(byte[] file) {
        return new String(file, 8, Math.toIntExact(headerLength(file)), StandardCharsets.UTF_8);
    }

    static JsonNode header(byte[] file) {
        try {
            return new ObjectMapper().readTree(headerText(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A tensor of random bits (NaN payloads, infinities and subnormals included): any pattern must survive. */
    static Tensor randomBits(String name, DType dtype, Random rnd, long... shape) {
        byte[] b = new byte[Math.toIntExact(dtype.byteSize(Tensor.elementCount(shape)))];
        rnd.nextBytes(b);
        return new Tensor(name, dtype, shape, MemorySegment.ofArray(b));
    }

    static byte[] bytesOf(Tensor t) {
        return t.data().toArray(ValueLayout.JAVA_BYTE);
    }
}
