package org.calql.agent;

import org.calql.critic.CriticEnsembleState;
import org.calql.discrete.DiscreteUpdateState;
import org.calql.random.Rng;
import org.calql.train.TrainableAgent;
import org.calql.update.UpdateStepState;

/**
 * What the section codecs write from: the agent and its update step's state, exported once.
 *
 * @param kind       which agent
 * @param agent      the continuous agent, or null
 * @param discrete   the discrete agent, or null
 * @param state      the continuous update step's state, or null
 * @param critics    the critics' state (either kind)
 * @param steps      the update step's count of updates
 * @param generators the agent's generators, in the order its {@code generators} section names them
 */
record CheckpointWriting(AgentKind kind, Agent agent, DiscreteAgent discrete, UpdateStepState state,
                         CriticEnsembleState critics, long steps, Rng[] generators) {
    static CheckpointWriting of(Agent agent) {
        UpdateStepState s = agent.updateStep().exportState();
        return new CheckpointWriting(AgentKind.CONTINUOUS, agent, null, s, s.critics(), s.steps(),
                agent.generators());
    }

    static CheckpointWriting of(DiscreteAgent agent) {
        DiscreteUpdateState s = agent.updateStep().exportState();
        return new CheckpointWriting(AgentKind.DISCRETE, null, agent, null, s.critics(), s.steps(),
                agent.generators());
    }

    /** The agent, whichever kind. */
    TrainableAgent trained() {
        return agent != null ? agent : discrete;
    }
}
