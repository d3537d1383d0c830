/** The validated, immutable configuration of a Cal-QL / CQL agent and its update step. */
package org.calql.config;
