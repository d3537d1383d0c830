package org.calql.train;

/** The two phases of offline-to-online training. */
public enum Phase {
    /** Offline pre-training on a fixed dataset. */
    PRETRAIN,
    /** Online fine-tuning with environment interaction and mixed replay. */
    FINETUNE
}
