/**
 * The {@code calql} command line ({@code java -jar calql.jar}): {@code demo} compares Cal-QL with CQL on
 * the point maze and writes metrics, plots and a summary; {@code train} pre-trains and fine-tunes one
 * method and saves the agent; {@code dataset-info} describes a D4RL or Minari HDF5 file.
 */
package org.calql.examples.cli;
