package org.calql.agent;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Removes the temporary files that a killed {@code save} leaves behind. A temp is ours if its name is
 * {@code agent.calql<digits>.tmp} (what {@code save} creates, also in earlier calql versions) and it is a regular
 * file, not a link. It is stale — and removed — when it was last modified more than {@link #STALE_AFTER} ago
 * <em>and</em> no process holds its lock: {@code save} holds an exclusive {@link FileLock} on its temp while
 * writing it, and the operating system releases the lock when the process dies. Where locks are not supported the
 * temp is kept (a slow save on such a file system is never deleted under its writer). Clean-up is best effort: it
 * never makes a save or load fail.
 */
final class TempFiles {
    /** A temp older than this whose lock is free is an orphan. */
    static final Duration STALE_AFTER = Duration.ofMinutes(1);
    private static final Pattern OURS = Pattern.compile(Pattern.quote(Checkpoints.FILE_NAME) + "[0-9]+\\.tmp");

    private TempFiles() {
    }

    /** Removes stale temps of ours in {@code directory}; returns how many. */
    static int removeStale(Path directory) {
        return removeStale(directory, Instant.now());
    }

    static int removeStale(Path directory, Instant now) {
        int removed = 0;
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(directory, Checkpoints.FILE_NAME + "*.tmp")) {
            for (Path temp : temps) {
                if (isOurs(temp) && isStale(temp, now) && removeIfUnlocked(temp)) {
                    removed++;
                }
            }
        } catch (IOException | RuntimeException e) {
            // best effort: an unreadable directory fails the save or load itself, with its own message
        }
        return removed;
    }

    static boolean isOurs(Path file) {
        return OURS.matcher(file.getFileName().toString()).matches()
                && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS);
    }

    private static boolean isStale(Path temp, Instant now) throws IOException {
        Instant modified = Files.getLastModifiedTime(temp, LinkOption.NOFOLLOW_LINKS).toInstant();
        return modified.isBefore(now.minus(STALE_AFTER));
    }

    private static boolean removeIfUnlocked(Path temp) {
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return false;
            }
            try {
                Files.delete(temp);
                return true;
            } finally {
                lock.release();
            }
        } catch (OverlappingFileLockException | IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
