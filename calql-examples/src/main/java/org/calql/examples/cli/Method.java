package org.calql.examples.cli;

import java.util.Locale;
import org.calql.regularizer.CqlRegularizer;
import org.calql.regularizer.Regularizers;

/** The two methods the command line trains. */
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
    };

    /** The regularizer with its default settings. */
    public abstract CqlRegularizer regularizer();

    /** The label used in files: {@code calql} or {@code cql}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
