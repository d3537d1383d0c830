/** Seeded, checkpointable randomness and the random draws of an update step. */
package org.calql.random;
