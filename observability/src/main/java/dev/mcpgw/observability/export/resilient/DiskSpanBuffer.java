package dev.mcpgw.observability.export.resilient;

import io.opentelemetry.contrib.disk.buffering.storage.impl.FileSpanStorage;
import io.opentelemetry.contrib.disk.buffering.storage.impl.FileStorageConfiguration;
import io.opentelemetry.contrib.disk.buffering.storage.result.WriteResult;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The disk buffer on top of contrib's {@link FileSpanStorage}: batches are appended to time-named files (one file
 * takes writes for {@code file_age}, then becomes readable), read back oldest file first, and each batch is removed
 * from its file only once it was exported.
 *
 * <p>When full, the newest batch is refused (and counted by the caller). We keep our own limit below the library's
 * folder size because the library, when it needs room, silently deletes the oldest file, whose span count nobody
 * knows: refusing the newest batch is the only way to count every lost span exactly, and it keeps the replay a
 * contiguous stretch starting at the beginning of the outage, which is usually where its cause shows.
 */
final class DiskSpanBuffer implements SpanBuffer {

  private static final Logger LOG = LoggerFactory.getLogger(DiskSpanBuffer.class);
  private static final int MAX_FILE_BYTES = 1024 * 1024;

  private final Path dir;
  private final long maxBytes;
  private final int fileBytes;
  private final FileSpanStorage storage;
  private final Object writeLock = new Object();
  /** Replay thread only. */
  private Iterator<Collection<SpanData>> reader;
  private Collection<SpanData> pending;
  private volatile boolean closed;

  private DiskSpanBuffer(Path dir, long maxBytes, int fileBytes, FileSpanStorage storage) {
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.fileBytes = fileBytes;
    this.storage = storage;
  }

  /** Opens (and creates) the buffer directory; throws when it cannot be used. */
  static DiskSpanBuffer open(Path dir, ResilienceConfig config) throws IOException {
    Files.createDirectories(dir);
    if (!Files.isWritable(dir)) {
      throw new IOException("buffer directory " + dir + " is not writable");
    }
    // A file holds at most an eighth of the budget, so the budget is never more than one file from exact; a
    // batch too big for one file is split by write().
    int fileBytes = (int) Math.min(MAX_FILE_BYTES, config.maxDiskBytes() / 8);
    long fileAge = config.fileAge().toMillis();
    FileStorageConfiguration storageConfig = FileStorageConfiguration.builder()
        .setMaxFileSize(fileBytes)
        .setMaxFolderSize((int) config.maxDiskBytes())
        .setMaxFileAgeForWriteMillis(fileAge)
        // Strictly after the last write to a file, so reader and writer never share one.
        .setMinFileAgeForReadMillis(fileAge + Math.max(100, fileAge / 10))
        .setMaxFileAgeForReadMillis(config.maxBufferAge().toMillis())
        .build();
    return new DiskSpanBuffer(dir, config.maxDiskBytes(), fileBytes, FileSpanStorage.create(dir.toFile(),
        storageConfig));
  }

  @Override
  public Outcome write(Collection<SpanData> spans) {
    synchronized (writeLock) {
      if (closed) {
        return Outcome.ERROR;
      }
      // Room for a whole new file must remain, or the library would make room by deleting the oldest file.
      if (bytes() + fileBytes > maxBytes) {
        return Outcome.FULL;
      }
      return store(spans);
    }
  }

  private Outcome store(Collection<SpanData> spans) {
    WriteResult result;
    try {
      result = storage.write(spans).get(10, TimeUnit.SECONDS);
    } catch (Exception | LinkageError e) {
      // LinkageError too: the library's serialisation runtime may be missing, which must not reach the caller.
      LOG.debug("Disk buffer write failed", e);
      return Outcome.ERROR;
    }
    if (result.isSuccessful()) {
      return Outcome.STORED;
    }
    if (result.getError() instanceof IOException || spans.size() < 2) {
      return Outcome.ERROR;
    }
    // The library refuses a batch bigger than one file: store it in halves, in order.
    List<SpanData> all = new ArrayList<>(spans);
    int half = all.size() / 2;
    Outcome first = store(all.subList(0, half));
    return first == Outcome.STORED ? store(all.subList(half, all.size())) : first;
  }

  @Override
  public Collection<SpanData> peek() {
    if (pending != null) {
      return pending;
    }
    if (closed) {
      return null;
    }
    try {
      if (reader == null) {
        reader = storage.iterator();
      }
      if (reader.hasNext()) {
        pending = reader.next();
      }
    } catch (RuntimeException e) {
      LOG.debug("Disk buffer read failed", e);
    }
    return pending;
  }

  @Override
  public void commit() {
    if (pending == null) {
      return;
    }
    pending = null;
    // Removes the batch from its file now rather than on the next read, so a shutdown in between cannot replay it
    // twice in the next process.
    reader.remove();
  }

  @Override
  public long bytes() {
    long total = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        total += file.toFile().length();
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("Cannot size the disk buffer", e);
    }
    return total;
  }

  @Override
  public int spansInMemory() {
    Collection<SpanData> batch = pending;
    return batch == null ? 0 : batch.size();
  }

  @Override
  public void close() {
    synchronized (writeLock) {
      closed = true;
      try {
        storage.close();
      } catch (IOException | RuntimeException e) {
        LOG.debug("Closing the disk buffer failed", e);
      }
    }
  }
}
