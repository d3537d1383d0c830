package org.calql.aca;

/**
 * Losses and diagnostics of one ACA update.
 *
 * @param step       1-based number of this update
 * @param online     whether it was an online (aligned) update
 * @param tdLoss     per critic {@code mean((Q_k(s,a) − y)²)}, {@code Q_k = R_k + w·ℓ} online
 * @param averageQ   per critic {@code mean Q_k(s, a_data)} before the step
 * @param zLoss      {@code L_Z} (NaN online, where Z is not trained)
 * @param actorLoss  the actor's loss
 * @param alphaLoss  the temperature loss {@code −mean(log α·(log π + targetEntropy))}
 * @param alpha      α used by this update's critic and actor (after the temperature's step)
 * @param logPi      {@code mean log π(ã|s)} of the actor's samples
 * @param weight     w used by this update (0 offline)
 * @param averageTarget mean backed-up target {@code y}
 * @param actorGradNorm the actor's gradient norm before any clipping
 */
public record AcaUpdateResult(long step, boolean online, double[] tdLoss, double[] averageQ, double zLoss,
                              double actorLoss, double alphaLoss, double alpha, double logPi, double weight,
                              double averageTarget, double actorGradNorm) {
}
