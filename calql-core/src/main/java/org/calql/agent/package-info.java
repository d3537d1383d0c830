/**
 * The front door: an {@link org.calql.agent.Agent} created from a validated config, with {@code pretrain},
 * {@code finetune}, {@code update}, {@code act}, {@code save} and {@code load}.
 */
package org.calql.agent;
