package org.calql.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.stream.Stream;
import org.calql.data.OfflineDataset;
import org.calql.data.ReturnsToGo;
import org.calql.data.RewardTransform;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks every fact in {@code datasets/expected.json} (from shared/conformance, written by h5py)
 * against what the readers recover from the three files next to it.
 */
class ConformanceDatasetsTest {
    private static final double RTG_TOLERANCE = 1e-4;

    static Path resource(String name) {
        try {
            return Path.of(ConformanceDatasetsTest.class.getResource("/datasets/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource datasets/" + name + " is missing", e);
        }
    }

    static JsonObject expected() throws IOException {
        return JsonParser.parseString(Files.readString(resource("expected.json"), StandardCharsets.UTF_8))
                .getAsJsonObject();
    }

    static Stream<String> files() throws IOException {
        return expected().keySet().stream().sorted();
    }

    @ParameterizedTest
    @MethodSource("files")
    void recoversEveryExpectedFact(String name) throws IOException {
        JsonObject facts = expected().getAsJsonObject(name);
        Path file = resource(name);
        DatasetFormat format = name.startsWith("minari") ? DatasetFormat.MINARI : DatasetFormat.D4RL;
        assertEquals(format, DatasetFormat.detect(file));

        OfflineDataset data = DatasetLoader.load(file);
        assertEquals(facts.get("transitions").getAsInt(), data.size(), "transitions");
        assertEquals(facts.get("episodes").getAsInt(), data.episodeCount(), "episodes");
        assertEquals(facts.get("terminals").getAsInt(), data.terminalCount(), "terminals");
        assertArrayEquals(ints(facts.getAsJsonArray("episodeLengths")), data.episodeLengths(), "episodeLengths");
        assertEquals(facts.get("rewardSum").getAsDouble(), data.rewardSum(), 1e-9, "rewardSum");

        RewardTransform transform = new RewardTransform(facts.get("rewardScale").getAsDouble(),
                facts.get("rewardBias").getAsDouble());
        OptionalDouble failure = facts.get("sparseReward").getAsBoolean()
                ? OptionalDouble.of(facts.get("failureReward").getAsDouble()) : OptionalDouble.empty();
        float[] rewards = new float[data.size()];
        data.rewardsView().get(rewards);
        double[] rtg = ReturnsToGo.compute(transform.applyAll(rewards), data.terminals(), data.episodeEnds(),
                facts.get("discount").getAsDouble(), failure);
        JsonArray first = facts.getAsJsonArray("returnToGoFirst20");
        for (int i = 0; i < first.size(); i++) {
            assertEquals(first.get(i).getAsDouble(), rtg[i], RTG_TOLERANCE, "returnToGo[" + i + "]");
        }
        double sum = 0.0;
        for (double g : rtg) {
            sum += g;
        }
        assertEquals(facts.get("returnToGoSum").getAsDouble(), sum, RTG_TOLERANCE, "returnToGoSum");

        // The explicit-format entry points agree with detection.
        OfflineDataset again = format.read(file);
        assertEquals(data.size(), again.size());
        assertArrayEquals(data.episodeEnds(), DatasetLoader.load(file, format).episodeEnds());
    }

    private static int[] ints(JsonArray array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).getAsInt();
        }
        return out;
    }
}
