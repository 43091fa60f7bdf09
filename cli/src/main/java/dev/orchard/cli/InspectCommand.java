package dev.orchard.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchard.core.model.LanguageModel;
import dev.orchard.core.model.ModelConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Map;
import java.util.concurrent.Callable;

/** {@code orchard inspect}: a checkpoint's config, tensors, encodings and sizes. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Print a checkpoint's config, tensors, encodings and sizes.")
final class InspectCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Option(names = "--no-tensors", description = "Leave out the tensor list.")
    boolean noTensors;

    @Override
    public Integer call() throws Exception {
        try (LanguageModel lm = modelOptions.load()) {
            ModelConfig c = lm.config();
            Map<String, String> tensors = lm.describeTensors();
            if (json) {
                ObjectMapper mapper = new ObjectMapper();
                ObjectNode root = mapper.createObjectNode();
                root.put("path", String.valueOf(lm.path()));
                root.put("format", lm.format());
                root.set("config", c.toJson());
                root.put("parameters", c.parameterCount());
                root.put("weight_bytes", lm.transformer().weightBytes());
                root.put("tied_embeddings", lm.transformer().tied());
                root.put("rope_layout", lm.transformer().adjacentPairRope() ? "adjacent-pairs" : "halves");
                if (!noTensors) {
                    ObjectNode t = root.putObject("tensors");
                    tensors.forEach(t::put);
                }
                System.out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root));
                return 0;
            }
            System.out.printf("model       %s (%s)%n", lm.path() == null ? "in-memory random model" : lm.path(), lm.format());
            System.out.printf("shape       %d layers, hidden %d, FFN %d, %d query heads / %d KV heads of %d, vocab %d%n",
                    c.numHiddenLayers(), c.hiddenSize(), c.intermediateSize(), c.numAttentionHeads(),
                    c.numKeyValueHeads(), c.headDim(), c.vocabSize());
            System.out.printf("features    %s embeddings, QK-norm %s, RoPE theta %.0f%s (%s layout), RMSNorm eps %.1e%n",
                    lm.transformer().tied() ? "tied" : "untied", c.qkNorm() ? "on" : "off", c.ropeTheta(),
                    c.ropeScaling() == null ? "" : ", llama3 scaling x" + c.ropeScaling().factor(),
                    lm.transformer().adjacentPairRope() ? "adjacent pairs" : "halves", c.rmsNormEps());
            System.out.printf("context     %d positions; BOS %d, EOS %s%n", c.maxPositionEmbeddings(), c.bosTokenId(),
                    c.eosTokenIds());
            System.out.printf("parameters  %,d (%.1f M)%n", c.parameterCount(), c.parameterCount() / 1e6);
            System.out.printf("weights     %s in memory, %s read per token%n", Sizes.bytes(lm.transformer().weightBytes()),
                    Sizes.bytes(lm.transformer().weightBytesPerToken()));
            System.out.printf("tokenizer   %s, %d tokens%n", lm.tokenizer().getClass().getSimpleName(), lm.tokenizer().vocabSize());
            if (!noTensors && !tensors.isEmpty()) {
                System.out.printf("tensors     %d%n", tensors.size());
                tensors.forEach((name, desc) -> System.out.printf("  %-52s %s%n", name, desc));
            }
        }
        return 0;
    }
}
