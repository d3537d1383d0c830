package org.calql.examples.env;

/**
 * Steering through a maze toward a target point: head for the centre of the next cell on the
 * shortest cell path, or straight for the target once in its cell. Package-private; shared by the
 * oracle and the wandering behaviour policy.
 */
final class MazeSteering {
    private MazeSteering() {
    }

    /**
     * The vector from {@code (x, y)} to the point to head for next, on the way to {@code (tx, ty)}.
     */
    static double[] aim(MazeLayout layout, double x, double y, double tx, double ty) {
        int here = layout.cellAt(x, y);
        int there = layout.cellAt(tx, ty);
        if (here == there) {
            return new double[] {tx - x, ty - y};
        }
        double[] next = layout.center(layout.nextCellToward(here, there));
        return new double[] {next[0] - x, next[1] - y};
    }
}
