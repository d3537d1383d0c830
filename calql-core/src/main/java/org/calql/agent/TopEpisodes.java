package org.calql.agent;

import org.calql.data.OfflineDataset;
import org.calql.data.ReplayBuffer;

/**
 * Copies the highest-return episodes of an offline dataset into a replay (ACA's {@code buffer_init}: the top
 * {@code n} episodes by their sum of raw rewards, lowest of them first, ties by episode order).
 */
final class TopEpisodes {
    private TopEpisodes() {
    }

    static void copy(OfflineDataset dataset, int n, ReplayBuffer replay) {
        int[] starts = dataset.episodeStarts();
        int[] lengths = dataset.episodeLengths();
        int episodes = starts.length;
        double[] returns = new double[episodes];
        Integer[] order = new Integer[episodes];
        for (int e = 0; e < episodes; e++) {
            double sum = 0.0;
            for (int t = starts[e]; t < starts[e] + lengths[e]; t++) {
                sum += dataset.reward(t);
            }
            returns[e] = sum;
            order[e] = e;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(returns[x], returns[y]));
        double[] obs = new double[dataset.observationDim()];
        double[] next = new double[dataset.observationDim()];
        double[] action = new double[dataset.actionDim()];
        for (int i = Math.max(0, episodes - n); i < episodes; i++) {
            int e = order[i];
            for (int t = starts[e]; t < starts[e] + lengths[e]; t++) {
                dataset.copyObservation(t, obs, 0);
                dataset.copyNextObservation(t, next, 0);
                dataset.copyAction(t, action, 0);
                boolean last = t == starts[e] + lengths[e] - 1;
                replay.add(obs, action, dataset.reward(t), next, dataset.isTerminal(t), last && !dataset.isTerminal(t));
            }
            if (replay.pendingSize() > 0) {
                replay.endEpisode();
            }
        }
    }
}
