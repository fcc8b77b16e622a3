package dev.t2.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.t2.tokenizer.Tokenizer;
import dev.t2.tokenizer.Tokenizers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code t2 tokenize}: token ids of a text as JSON, for any tokenizer.json or model. */
@Command(name = "tokenize", mixinStandardHelpOptions = true, description = "Print the token ids of a text as JSON.")
final class TokenizeCommand implements Callable<Integer> {
    @Option(names = {"-t", "--tokenizer", "-m", "--model"}, required = true,
            description = "tokenizer.json, a model directory, or a llama2.c model/tokenizer .bin")
    Path tokenizer;

    @Option(names = "--no-special", description = "do not add the tokenizer's special tokens (e.g. BOS)")
    boolean noSpecial;

    @Option(names = "--pieces", description = "also print each token's vocabulary string")
    boolean pieces;

    @Parameters(arity = "0..1", description = "text (default: read stdin)")
    String text;

    @Override
    public Integer call() throws IOException {
        Tokenizer tok = Tokenizers.load(tokenizer);
        String input = text != null ? text : new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        int[] ids = tok.encode(input, !noSpecial);
        var mapper = new ObjectMapper();
        var out = mapper.createObjectNode();
        var idArray = out.putArray("ids");
        for (int id : ids) idArray.add(id);
        if (pieces) {
            var p = out.putArray("tokens");
            for (int id : ids) p.add(tok.tokenString(id));
        }
        System.out.println(mapper.writeValueAsString(out));
        return 0;
    }
}
