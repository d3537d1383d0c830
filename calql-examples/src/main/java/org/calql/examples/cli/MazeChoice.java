package org.calql.examples.cli;

import org.calql.examples.env.MazeLayout;

/** The maze layouts the command line offers. */
enum MazeChoice {
    /** The U-maze of AntMaze-umaze. */
    UMAZE,
    /** The bent corridor: goal at the bottom right, a dead end at the bottom left. */
    CORNER,
    /** The larger maze in the spirit of AntMaze-medium. */
    MEDIUM;

    MazeLayout layout() {
        switch (this) {
            case UMAZE:
                return MazeLayout.uMaze();
            case CORNER:
                return MazeLayout.corner();
            default:
                return MazeLayout.medium();
        }
    }
}
