/**
 * The front door: an {@link org.calql.agent.Agent} created from a validated config, with {@code pretrain},
 * {@code finetune}, {@code update}, {@code act}, {@code save} and {@code load}.
 *
 * <h2>Checkpoints</h2>
 * {@link org.calql.agent.Agent#save} writes {@code agent.calql}, format 2 (big-endian):
 * <pre>
 * UTF    "CALQL-CHECKPOINT"
 * int    2                        format version
 * long   file length              checksum included
 * section*                        each: UTF name, int section version, long payload length, payload
 * long   CRC-32 of every byte before it
 * </pre>
 * Sections, each once, in any order: {@code config} and {@code training-config} (the configs as sorted
 * {@code key=value} lines), {@code critics} (per critic its, its target's and its Adam moments' arrays),
 * {@code policy} (the policy's parameter arrays in its own layout and its Adam state — generic, so a user's
 * {@code Policy} round-trips), {@code temperature} and {@code lagrange} (value and scalar Adam state),
 * {@code update-steps}, {@code normalizer}, {@code replay} (ring and pending episode), {@code generators} (three
 * random generator snapshots) and {@code training-counters} (five counters and the online flag). Each section is
 * written and read by its component's codec; a section this calql does not know, or a version of a section it
 * does not read, is refused — not skipped — because every section holds state a bit-exact resume needs. Format 1
 * (before sections) is still read.
 *
 * <p>A {@link org.calql.agent.DiscreteAgent} saves to the same format: its file starts with an {@code agent-kind}
 * section ({@code calql-discrete}) and has {@code discrete-config}, {@code training-config}, {@code epsilon} (the
 * ε schedule), {@code critics}, {@code update-steps}, {@code normalizer}, {@code replay}, {@code generators} (two),
 * {@code training-counters} and {@code offline-data}. A file without {@code agent-kind} holds a continuous
 * {@link org.calql.agent.Agent} (continuous files are unchanged by discrete agents' checkpoints); loading a file
 * with the other agent's {@code load} fails naming the kind it holds.
 *
 * <p>A load verifies the checksum first (streamed, nothing allocated), then checks every declared length against
 * the bytes left and the layouts the config implies before allocating, and every value it restores; a bad file
 * fails only with an {@link java.io.IOException} naming the file, the section, the field, the value and the rule,
 * and leaves nothing half-loaded. {@link org.calql.agent.CheckpointInfo#read} runs the same checks and describes
 * the file. Saves write a locked temporary file {@code agent.calql<digits>.tmp} and move it into place; save and
 * load remove such temporaries older than a minute whose lock no process holds.
 */
package org.calql.agent;
