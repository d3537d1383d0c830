package org.calql.agent;

import org.calql.update.UpdateStepState;

/** What the section codecs write from: the agent and its update step's state, exported once. */
record CheckpointWriting(Agent agent, UpdateStepState state) {
    static CheckpointWriting of(Agent agent) {
        return new CheckpointWriting(agent, agent.updateStep().exportState());
    }
}
