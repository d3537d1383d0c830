package org.calql.examples.cli;

import org.calql.examples.env.MazeLayout;

/** The maze layouts the command line offers. */
enum MazeChoice {
    /** The U-maze of AntMaze-umaze. */
    UMAZE,
    /** The larger maze in the spirit of AntMaze-medium. */
    MEDIUM;

    MazeLayout layout() {
        return this == UMAZE ? MazeLayout.uMaze() : MazeLayout.medium();
    }
}
