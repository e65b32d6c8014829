package dev.mcpgw.observability.internal.privacy;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The exporter every span passes through before any real exporter: masks span names, attributes, event attributes
 * (exception messages and stack traces are event attributes), link attributes and status descriptions. Spans with nothing to mask are
 * passed on as the same objects.
 */
public final class SanitizingSpanExporter implements SpanExporter {

  private final Sanitizer sanitizer;
  private final SpanExporter delegate;

  public SanitizingSpanExporter(Sanitizer sanitizer, SpanExporter delegate) {
    this.sanitizer = sanitizer;
    this.delegate = delegate;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    List<SpanData> out = new ArrayList<>(spans.size());
    for (SpanData span : spans) {
      out.add(sanitize(span));
    }
    return delegate.export(out);
  }

  /** The span with sensitive data masked, or the same span when there was nothing to mask. */
  SpanData sanitize(SpanData span) {
    String name = sanitizer.sanitize(span.getName());
    Attributes attributes = sanitizer.sanitize(span.getAttributes());
    List<EventData> events = sanitizeEvents(span.getEvents());
    List<LinkData> links = sanitizeLinks(span.getLinks());
    StatusData status = span.getStatus();
    String description = sanitizer.sanitize(status.getDescription());
    if (description != status.getDescription()) {
      status = StatusData.create(status.getStatusCode(), description);
    }
    if (name == span.getName() && attributes == span.getAttributes() && events == span.getEvents()
        && links == span.getLinks() && status == span.getStatus()) {
      return span;
    }
    return new MaskedSpanData(span, name, attributes, events, links, status);
  }

  private List<EventData> sanitizeEvents(List<EventData> events) {
    List<EventData> out = null;
    for (int i = 0; i < events.size(); i++) {
      EventData event = events.get(i);
      Attributes masked = sanitizer.sanitize(event.getAttributes());
      if (masked != event.getAttributes() && out == null) {
        out = new ArrayList<>(events);
      }
      if (out != null && masked != event.getAttributes()) {
        // A plain EventData on purpose: an ExceptionEventData would still hand out the unmasked Throwable.
        out.set(i, EventData.create(event.getEpochNanos(), event.getName(), masked,
            event.getTotalAttributeCount()));
      }
    }
    return out == null ? events : List.copyOf(out);
  }

  private List<LinkData> sanitizeLinks(List<LinkData> links) {
    List<LinkData> out = null;
    for (int i = 0; i < links.size(); i++) {
      LinkData link = links.get(i);
      Attributes masked = sanitizer.sanitize(link.getAttributes());
      if (masked != link.getAttributes()) {
        if (out == null) {
          out = new ArrayList<>(links);
        }
        out.set(i, LinkData.create(link.getSpanContext(), masked, link.getTotalAttributeCount()));
      }
    }
    return out == null ? links : List.copyOf(out);
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return delegate.shutdown();
  }

  @Override
  public String toString() {
    return "SanitizingSpanExporter{" + delegate + "}";
  }

  private static final class MaskedSpanData extends DelegatingSpanData {
    private final String name;
    private final Attributes attributes;
    private final List<EventData> events;
    private final List<LinkData> links;
    private final StatusData status;

    MaskedSpanData(SpanData delegate, String name, Attributes attributes, List<EventData> events,
        List<LinkData> links, StatusData status) {
      super(delegate);
      this.name = name;
      this.attributes = attributes;
      this.events = events;
      this.links = links;
      this.status = status;
    }

    @Override
    public String getName() {
      return name;
    }

    @Override
    public Attributes getAttributes() {
      return attributes;
    }

    @Override
    public List<EventData> getEvents() {
      return events;
    }

    @Override
    public List<LinkData> getLinks() {
      return links;
    }

    @Override
    public StatusData getStatus() {
      return status;
    }
  }
}
