package org.calql.examples.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MazeLayoutTest {

    @Test
    void uMazeShortestPathGoesAroundTheWall() {
        MazeLayout u = MazeLayout.uMaze();
        assertEquals(7, u.freeCellCount());
        assertEquals(6, u.distance(u.startCell(), u.goalCell()));
        // from the start, the first step is to the right
        int next = u.nextCellToward(u.startCell(), u.goalCell());
        assertEquals(1, u.row(next));
        assertEquals(2, u.column(next));
        assertTrue(u.isWall(2, 1) && u.isWall(2, 2));
        assertTrue(u.isWall(-1, 0) && u.isWall(0, 99));
    }

    @Test
    void cornerMazeGoesRightThenDownWithADeadEnd() {
        MazeLayout c = MazeLayout.corner();
        assertEquals(7, c.freeCellCount());
        assertEquals(4, c.distance(c.startCell(), c.goalCell()));
        int next = c.nextCellToward(c.startCell(), c.goalCell());
        assertEquals(1, c.row(next));
        assertEquals(2, c.column(next));
        assertEquals(3, c.row(c.goalCell()));
        assertEquals(3, c.column(c.goalCell()));
        assertTrue(!c.isWall(3, 1) && c.distance(c.goalCell(), c.cellAt(1.5, 3.5)) == 2, "dead end beside the goal");
    }

    @Test
    void mediumMazeShortestPathIsTen() {
        MazeLayout m = MazeLayout.medium();
        assertEquals(10, m.distance(m.startCell(), m.goalCell()));
        int cell = m.startCell();
        int steps = 0;
        while (cell != m.goalCell()) {
            cell = m.nextCellToward(cell, m.goalCell());
            steps++;
        }
        assertEquals(10, steps);
    }

    @Test
    void badLayoutsAreRejectedWithRowAndColumn() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MazeLayout("####", "#SG.", "####"));
        assertTrue(e.getMessage().contains("border") && e.getMessage().contains("row 1, column 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MazeLayout("#####", "#S#G#", "#####"));
        assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MazeLayout("####", "#Sx#", "#G.#", "####"));
        assertTrue(e.getMessage().contains("'x'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MazeLayout("####", "#S.#", "#..#", "####"));
        assertThrows(IllegalArgumentException.class, () -> new MazeLayout("####", "#SG#", "###"));
    }
}
