package dev.t2.cli;

import dev.t2.io.HuggingFaceExporter;
import dev.t2.io.LoadedModel;
import dev.t2.io.ModelLoader;
import dev.t2.tensor.DType;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code t2 convert}: any supported checkpoint to a Hugging Face safetensors directory. */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Convert a llama2.c or GGUF model (or an HF directory, e.g. to change dtype) to a Hugging Face safetensors directory.")
final class ConvertCommand implements Callable<Integer> {
    @Option(names = {"-m", "--model"}, required = true, description = "source model")
    Path model;

    @Option(names = {"-o", "--out"}, required = true, description = "new output directory")
    Path out;

    @Option(names = "--dtype", description = "F32, BF16 or F16 (default: keep; quantized tensors become BF16)")
    DType dtype;

    @Override
    public Integer call() {
        if (dtype != null && dtype.isQuantized()) throw new IllegalArgumentException("--dtype must be F32, BF16 or F16");
        LoadedModel loaded = ModelLoader.load(model);
        long t0 = System.nanoTime();
        HuggingFaceExporter.export(loaded, out, dtype);
        System.err.printf("wrote %s (%s) in %.1f s%n", out, loaded.model().describe(), (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
