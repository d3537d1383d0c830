/** Scores of evaluation results against published references (D4RL's normalised score). */
package org.calql.eval;
