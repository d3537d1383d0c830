package org.calql.agent;

import org.calql.aca.AcaUpdateState;
import org.calql.critic.CriticEnsembleState;
import org.calql.discrete.DiscreteUpdateState;
import org.calql.optim.ScalarState;
import org.calql.policy.PolicyState;
import org.calql.random.Rng;
import org.calql.train.TrainableAgent;
import org.calql.update.UpdateStepState;

/**
 * What the section codecs write from: the agent and its update step's state, exported once.
 *
 * @param kind        which agent
 * @param agent       the continuous agent, or null
 * @param discrete    the discrete agent, or null
 * @param aca         the ACA agent, or null
 * @param state       the continuous update step's state, or null
 * @param acaState    the ACA update's state, or null
 * @param critics     the critics' state (every kind)
 * @param policy      the policy's state (continuous and ACA), or null
 * @param temperature the temperature's {@code log α} state (continuous and ACA), or null
 * @param steps       the update step's count of updates
 * @param generators  the agent's generators, in the order its {@code generators} section names them
 */
record CheckpointWriting(AgentKind kind, Agent agent, DiscreteAgent discrete, AcaAgent aca, UpdateStepState state,
                         AcaUpdateState acaState, CriticEnsembleState critics, PolicyState policy,
                         ScalarState temperature, long steps, Rng[] generators) {
    static CheckpointWriting of(Agent agent) {
        UpdateStepState s = agent.updateStep().exportState();
        return new CheckpointWriting(AgentKind.CONTINUOUS, agent, null, null, s, null, s.critics(), s.policy(),
                s.temperature(), s.steps(), agent.generators());
    }

    static CheckpointWriting of(DiscreteAgent agent) {
        DiscreteUpdateState s = agent.updateStep().exportState();
        return new CheckpointWriting(AgentKind.DISCRETE, null, agent, null, null, null, s.critics(), null, null,
                s.steps(), agent.generators());
    }

    static CheckpointWriting of(AcaAgent agent) {
        AcaUpdateState s = agent.updateRule().exportState();
        return new CheckpointWriting(AgentKind.ACA, null, null, agent, null, s, s.critics(), s.policy(),
                s.logAlpha(), s.steps(), agent.generators());
    }

    /** The agent, whichever kind. */
    TrainableAgent trained() {
        return agent != null ? agent : discrete != null ? discrete : aca;
    }
}
