package org.calql.examples.cli;

import java.util.Locale;
import org.calql.regularizer.CqlRegularizer;
import org.calql.regularizer.Regularizers;

/** The methods the command line trains: Cal-QL and CQL (continuous or discrete), ACA (continuous only). */
public enum Method {
    /** Cal-QL: CQL whose pushed-down Q-values are bounded below by the reference values. */
    CALQL {
        @Override
        public CqlRegularizer regularizer() {
            return Regularizers.calQl();
        }
    },
    /** CQL(H). */
    CQL {
        @Override
        public CqlRegularizer regularizer() {
            return Regularizers.cql();
        }
    },
    /**
     * Actor-Critic Alignment (Yu &amp; Zhang, ICML 2023; {@link org.calql.agent.AcaAgent}): SAC+ML offline, the
     * critic rebuilt from the offline policy at the switch, SAC on the reparameterised critic online. It has no
     * conservative regularizer; continuous actions only.
     */
    ACA {
        @Override
        public boolean conservative() {
            return false;
        }

        @Override
        public CqlRegularizer regularizer() {
            throw new UnsupportedOperationException("ACA has no conservative regularizer");
        }
    };

    /** Whether the method is Cal-QL or CQL, trained by a conservative regularizer (ACA is not). */
    public boolean conservative() {
        return true;
    }

    /**
     * The regularizer with its default settings.
     *
     * @throws UnsupportedOperationException for {@link #ACA}
     */
    public abstract CqlRegularizer regularizer();

    /** The label used in files: {@code calql}, {@code cql} or {@code aca}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
