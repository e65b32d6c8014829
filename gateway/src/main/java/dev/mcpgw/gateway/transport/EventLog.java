package dev.mcpgw.gateway.transport;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The replay buffer of one SSE stream: its last {@code capacity} events, numbered 1, 2, ... in the order they were
 * sent, so that a client that reconnects with {@code Last-Event-ID} gets what it missed. Older events are dropped
 * (and counted): a client away for longer than the buffer covers gets what is left.
 */
final class EventLog {
  /** One sent event: its number in the stream and its {@code data} (a JSON-RPC message). */
  record Event(long seq, String data) {}

  private final int capacity;
  private final ArrayDeque<Event> events;
  private long last;
  private long dropped;

  EventLog(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
    }
    this.capacity = capacity;
    this.events = new ArrayDeque<>(Math.min(capacity, 64));
  }

  /** Records an event and returns its number. */
  synchronized long append(String data) {
    if (events.size() == capacity) {
      events.removeFirst();
      dropped++;
    }
    Event e = new Event(++last, data);
    events.addLast(e);
    return e.seq();
  }

  /** The number of the last event (0 before the first). */
  synchronized long last() {
    return last;
  }

  /**
   * The retained events after {@code seq}, oldest first; those already dropped are missing (see {@link #covers}).
   * A number from the future yields nothing.
   */
  synchronized List<Event> after(long seq) {
    List<Event> out = new ArrayList<>();
    for (Event e : events) {
      if (e.seq() > seq) {
        out.add(e);
      }
    }
    return out;
  }

  /** Whether every event after {@code seq} is still retained. */
  synchronized boolean covers(long seq) {
    return events.isEmpty() ? seq >= last : events.peekFirst().seq() <= seq + 1;
  }

  synchronized int size() {
    return events.size();
  }

  /** How many events were dropped to keep the bound. */
  synchronized long dropped() {
    return dropped;
  }
}
