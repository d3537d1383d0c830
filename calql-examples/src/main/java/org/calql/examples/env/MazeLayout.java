package org.calql.examples.env;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A maze of unit square cells, parsed from rows of text: {@code '#'} a wall, {@code '.'} free,
 * {@code 'S'} the (free) start cell and {@code 'G'} the (free) goal cell. Row 0 is the first string;
 * cell {@code (row, col)} covers {@code [col, col+1] x [row, row+1]} of the plane, so a position is
 * {@code (x, y) = (column coordinate, row coordinate)}. The border must be walls and every free cell
 * must be reachable from the start. Shortest paths between cells (4-connected) are precomputed.
 * Immutable.
 */
public final class MazeLayout {
    private final String[] rows;
    private final int height;
    private final int width;
    private final boolean[] wall;
    private final int startCell;
    private final int goalCell;
    private final int[] freeCells;
    /** distance[a * cells + b]: steps from cell a to cell b, or -1 when either is a wall. */
    private final int[] distance;

    /**
     * Parses a layout.
     *
     * @throws IllegalArgumentException if the rows are ragged, hold an unknown character, lack
     *     exactly one {@code S} and one {@code G}, have a free border cell, or a free cell the start
     *     cannot reach
     */
    public MazeLayout(String... rows) {
        if (rows == null || rows.length < 3) {
            throw new IllegalArgumentException("maze must have at least 3 rows, found "
                    + (rows == null ? "null" : String.valueOf(rows.length)));
        }
        this.height = rows.length;
        this.width = rows[0].length();
        this.rows = rows.clone();
        this.wall = new boolean[height * width];
        int start = -1;
        int goal = -1;
        List<Integer> free = new ArrayList<>();
        for (int r = 0; r < height; r++) {
            if (rows[r].length() != width) {
                throw new IllegalArgumentException("maze rows must all have length " + width + ", found row "
                        + r + " of length " + rows[r].length());
            }
            for (int c = 0; c < width; c++) {
                char ch = rows[r].charAt(c);
                int cell = r * width + c;
                switch (ch) {
                    case '#' -> wall[cell] = true;
                    case '.' -> { }
                    case 'S' -> {
                        if (start >= 0) {
                            throw new IllegalArgumentException("maze must have exactly one 'S', found a second at row "
                                    + r + ", column " + c);
                        }
                        start = cell;
                    }
                    case 'G' -> {
                        if (goal >= 0) {
                            throw new IllegalArgumentException("maze must have exactly one 'G', found a second at row "
                                    + r + ", column " + c);
                        }
                        goal = cell;
                    }
                    default -> throw new IllegalArgumentException(
                            "maze characters must be '#', '.', 'S' or 'G', found '" + ch + "' at row " + r
                                    + ", column " + c);
                }
                boolean border = r == 0 || c == 0 || r == height - 1 || c == width - 1;
                if (border && !wall[cell]) {
                    throw new IllegalArgumentException("maze border must be walls, found '" + ch + "' at row "
                            + r + ", column " + c);
                }
                if (!wall[cell]) {
                    free.add(cell);
                }
            }
        }
        if (start < 0 || goal < 0) {
            throw new IllegalArgumentException("maze must have one 'S' and one 'G', found "
                    + (start < 0 ? "no 'S'" : "no 'G'"));
        }
        this.startCell = start;
        this.goalCell = goal;
        this.freeCells = free.stream().mapToInt(Integer::intValue).toArray();
        int cells = height * width;
        this.distance = new int[cells * cells];
        Arrays.fill(distance, -1);
        for (int from : freeCells) {
            bfs(from);
        }
        for (int cell : freeCells) {
            if (distance[start * cells + cell] < 0) {
                throw new IllegalArgumentException("every free cell must be reachable from 'S', found row "
                        + row(cell) + ", column " + column(cell) + " unreachable");
            }
        }
    }

    /**
     * The U-shaped maze of AntMaze-umaze: start at the top left, goal at the bottom left, a wall
     * between them, so the shortest path goes right, down and back left (6 cells of travel).
     *
     * <pre>
     * #####
     * #S..#
     * ###.#
     * #G..#
     * #####
     * </pre>
     */
    public static MazeLayout uMaze() {
        return new MazeLayout(
                "#####",
                "#S..#",
                "###.#",
                "#G..#",
                "#####");
    }

    /**
     * A bent corridor: start at the top left, goal at the bottom right, a wall between them and a dead end
     * at the bottom left, so the shortest path goes right then down (4 cells of travel). Heading straight
     * for the goal slides along the walls instead of pinning the agent in a corner, which makes it learnable
     * with small networks in a few thousand updates (the U-maze needs far more).
     *
     * <pre>
     * #####
     * #S..#
     * ###.#
     * #..G#
     * #####
     * </pre>
     */
    public static MazeLayout corner() {
        return new MazeLayout(
                "#####",
                "#S..#",
                "###.#",
                "#..G#",
                "#####");
    }

    /**
     * A larger maze in the spirit of AntMaze-medium, with dead ends and two routes; the shortest
     * path from start to goal is 10 cells.
     *
     * <pre>
     * ########
     * #S.#...#
     * #..#.#.#
     * #....#.#
     * ##.#...#
     * #..#.#.#
     * #.##.#G#
     * ########
     * </pre>
     */
    public static MazeLayout medium() {
        return new MazeLayout(
                "########",
                "#S.#...#",
                "#..#.#.#",
                "#....#.#",
                "##.#...#",
                "#..#.#.#",
                "#.##.#G#",
                "########");
    }

    private void bfs(int from) {
        int cells = height * width;
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        distance[from * cells + from] = 0;
        queue.add(from);
        while (!queue.isEmpty()) {
            int cell = queue.poll();
            int d = distance[from * cells + cell];
            int r = row(cell);
            int c = column(cell);
            int[] neighbours = {cell - width, cell + width, cell - 1, cell + 1};
            boolean[] valid = {r > 0, r < height - 1, c > 0, c < width - 1};
            for (int k = 0; k < 4; k++) {
                int n = neighbours[k];
                if (valid[k] && !wall[n] && distance[from * cells + n] < 0) {
                    distance[from * cells + n] = d + 1;
                    queue.add(n);
                }
            }
        }
    }

    /** Number of rows (the extent of the maze in y). */
    public int height() {
        return height;
    }

    /** Number of columns (the extent of the maze in x). */
    public int width() {
        return width;
    }

    /** The rows of text this layout was parsed from. */
    public List<String> rows() {
        return List.of(rows);
    }

    /** Whether cell {@code (row, col)} is a wall; cells outside the grid count as walls. */
    public boolean isWall(int row, int col) {
        return row < 0 || col < 0 || row >= height || col >= width || wall[row * width + col];
    }

    /** Cell index {@code row * width + col} of the cell holding position {@code (x, y)}. */
    public int cellAt(double x, double y) {
        int c = Math.min(width - 1, Math.max(0, (int) Math.floor(x)));
        int r = Math.min(height - 1, Math.max(0, (int) Math.floor(y)));
        return r * width + c;
    }

    /** Row of a cell index. */
    public int row(int cell) {
        return cell / width;
    }

    /** Column of a cell index. */
    public int column(int cell) {
        return cell % width;
    }

    /** Whether the cell index is a wall. */
    public boolean isWallCell(int cell) {
        return wall[cell];
    }

    /** Cell index of {@code 'S'}. */
    public int startCell() {
        return startCell;
    }

    /** Cell index of {@code 'G'}. */
    public int goalCell() {
        return goalCell;
    }

    /** The centre {@code (x, y)} of a cell. */
    public double[] center(int cell) {
        return new double[] {column(cell) + 0.5, row(cell) + 0.5};
    }

    /** Indices of all free cells, in row-major order (a copy). */
    public int[] freeCells() {
        return freeCells.clone();
    }

    /** Number of free cells. */
    public int freeCellCount() {
        return freeCells.length;
    }

    /** The {@code i}-th free cell in row-major order. */
    public int freeCell(int i) {
        return freeCells[i];
    }

    /** Shortest-path length in cells between two free cells (4-connected), or -1 if either is a wall. */
    public int distance(int fromCell, int toCell) {
        return distance[fromCell * height * width + toCell];
    }

    /**
     * The neighbour of {@code fromCell} that is one step closer to {@code toCell}, or
     * {@code toCell} itself when the two are equal.
     *
     * @throws IllegalArgumentException if either cell is a wall
     */
    public int nextCellToward(int fromCell, int toCell) {
        int d = distance(fromCell, toCell);
        if (d < 0) {
            throw new IllegalArgumentException("cells must be free, found cells " + fromCell + " and " + toCell);
        }
        if (d == 0) {
            return toCell;
        }
        int r = row(fromCell);
        int c = column(fromCell);
        int[] neighbours = {fromCell - width, fromCell + width, fromCell - 1, fromCell + 1};
        boolean[] valid = {r > 0, r < height - 1, c > 0, c < width - 1};
        for (int k = 0; k < 4; k++) {
            int n = neighbours[k];
            if (valid[k] && !wall[n] && distance(n, toCell) == d - 1) {
                return n;
            }
        }
        throw new IllegalStateException("no neighbour closer to the target; the distance table is broken");
    }

    @Override
    public String toString() {
        return String.join("\n", rows);
    }
}
