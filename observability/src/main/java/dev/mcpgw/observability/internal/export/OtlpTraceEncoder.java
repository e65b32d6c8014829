package dev.mcpgw.observability.internal.export;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.KeyValue;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.internal.InternalAttributeKeyImpl;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Encodes spans as an OTLP {@code ExportTraceServiceRequest} in one pass over each span (ADR 0037): the bytes the
 * SDK's marshaler writes for the same spans, without its size pass. Spans are grouped by resource, then by
 * instrumentation scope, both by identity and in the order first seen. Not thread-safe: one per exporting thread.
 */
final class OtlpTraceEncoder implements BiConsumer<AttributeKey<?>, Object> {

  // Field numbers, from opentelemetry/proto/trace/v1/trace.proto, common/v1/common.proto, resource/v1/resource.proto.
  private static final int REQUEST_RESOURCE_SPANS = 1;
  private static final int RESOURCE_SPANS_RESOURCE = 1;
  private static final int RESOURCE_SPANS_SCOPE_SPANS = 2;
  private static final int RESOURCE_SPANS_SCHEMA_URL = 3;
  private static final int RESOURCE_ATTRIBUTES = 1;
  private static final int SCOPE_SPANS_SCOPE = 1;
  private static final int SCOPE_SPANS_SPANS = 2;
  private static final int SCOPE_SPANS_SCHEMA_URL = 3;
  private static final int SCOPE_NAME = 1;
  private static final int SCOPE_VERSION = 2;
  private static final int SCOPE_ATTRIBUTES = 3;
  private static final int SPAN_TRACE_ID = 1;
  private static final int SPAN_SPAN_ID = 2;
  private static final int SPAN_TRACE_STATE = 3;
  private static final int SPAN_PARENT_SPAN_ID = 4;
  private static final int SPAN_NAME = 5;
  private static final int SPAN_KIND = 6;
  private static final int SPAN_START = 7;
  private static final int SPAN_END = 8;
  private static final int SPAN_ATTRIBUTES = 9;
  private static final int SPAN_DROPPED_ATTRIBUTES = 10;
  private static final int SPAN_EVENTS = 11;
  private static final int SPAN_DROPPED_EVENTS = 12;
  private static final int SPAN_LINKS = 13;
  private static final int SPAN_DROPPED_LINKS = 14;
  private static final int SPAN_STATUS = 15;
  private static final int SPAN_FLAGS = 16;
  private static final int EVENT_TIME = 1;
  private static final int EVENT_NAME = 2;
  private static final int EVENT_ATTRIBUTES = 3;
  private static final int EVENT_DROPPED_ATTRIBUTES = 4;
  private static final int LINK_TRACE_ID = 1;
  private static final int LINK_SPAN_ID = 2;
  private static final int LINK_TRACE_STATE = 3;
  private static final int LINK_ATTRIBUTES = 4;
  private static final int LINK_DROPPED_ATTRIBUTES = 5;
  private static final int LINK_FLAGS = 6;
  private static final int STATUS_MESSAGE = 2;
  private static final int STATUS_CODE = 3;
  private static final int KEY_VALUE_KEY = 1;
  private static final int KEY_VALUE_VALUE = 2;
  private static final int ANY_STRING = 1;
  private static final int ANY_BOOL = 2;
  private static final int ANY_INT = 3;
  private static final int ANY_DOUBLE = 4;
  private static final int ANY_ARRAY = 5;
  private static final int ANY_KVLIST = 6;
  private static final int ANY_BYTES = 7;
  private static final int ARRAY_VALUES = 1;
  private static final int KVLIST_VALUES = 1;

  /** W3C trace flags plus the OTLP bits that say whether the parent (or the link's span) is remote. */
  private static final int HAS_IS_REMOTE = 0x100;
  private static final int IS_REMOTE = 0x200;

  /** Room for a length reserved ahead of content: spans are mostly 128 B to 16 KiB, groups 16 KiB to 2 MiB. */
  private static final int SPAN_RESERVE = 2;
  private static final int GROUP_RESERVE = 3;
  private static final int SMALL_RESERVE = 1;

  private final ProtoWriter out;
  private final List<Resource> resources = new ArrayList<>();
  private final List<InstrumentationScopeInfo> scopes = new ArrayList<>();
  /** The field that {@link #accept} writes attributes to. */
  private int attributeField;

  OtlpTraceEncoder(ProtoWriter out) {
    this.out = out;
  }

  ProtoWriter writer() {
    return out;
  }

  /** Replaces the writer's content with the request for these spans. */
  void encode(Collection<? extends SpanData> spans) {
    out.reset();
    try {
      resources.clear();
      for (SpanData span : spans) {
        addIfAbsent(resources, span.getResource());
      }
      for (Resource resource : resources) {
        resourceSpans(resource, spans);
      }
    } finally {
      resources.clear();
      scopes.clear();
    }
  }

  private void resourceSpans(Resource resource, Collection<? extends SpanData> spans) {
    int start = out.begin(REQUEST_RESOURCE_SPANS, GROUP_RESERVE);
    int res = out.begin(RESOURCE_SPANS_RESOURCE, SMALL_RESERVE);
    attributes(RESOURCE_ATTRIBUTES, resource.getAttributes());
    out.end(res, SMALL_RESERVE);
    scopes.clear();
    for (SpanData span : spans) {
      if (span.getResource() == resource) {
        addIfAbsent(scopes, span.getInstrumentationScopeInfo());
      }
    }
    for (InstrumentationScopeInfo scope : scopes) {
      scopeSpans(resource, scope, spans);
    }
    string(RESOURCE_SPANS_SCHEMA_URL, resource.getSchemaUrl());
    out.end(start, GROUP_RESERVE);
  }

  private void scopeSpans(Resource resource, InstrumentationScopeInfo scope, Collection<? extends SpanData> spans) {
    int start = out.begin(RESOURCE_SPANS_SCOPE_SPANS, GROUP_RESERVE);
    int sc = out.begin(SCOPE_SPANS_SCOPE, SMALL_RESERVE);
    string(SCOPE_NAME, scope.getName());
    string(SCOPE_VERSION, scope.getVersion());
    attributes(SCOPE_ATTRIBUTES, scope.getAttributes());
    out.end(sc, SMALL_RESERVE);
    for (SpanData span : spans) {
      if (span.getResource() == resource && span.getInstrumentationScopeInfo() == scope) {
        span(span);
      }
    }
    string(SCOPE_SPANS_SCHEMA_URL, scope.getSchemaUrl());
    out.end(start, GROUP_RESERVE);
  }

  private void span(SpanData span) {
    int start = out.begin(SCOPE_SPANS_SPANS, SPAN_RESERVE);
    SpanContext context = span.getSpanContext();
    ids(SPAN_TRACE_ID, SPAN_SPAN_ID, SPAN_TRACE_STATE, context);
    SpanContext parent = span.getParentSpanContext();
    if (parent.isValid()) {
      out.hex(SPAN_PARENT_SPAN_ID, parent.getSpanId());
    }
    string(SPAN_NAME, span.getName());
    uint32(SPAN_KIND, span.getKind().ordinal() + 1);
    fixed64(SPAN_START, span.getStartEpochNanos());
    fixed64(SPAN_END, span.getEndEpochNanos());
    Attributes attributes = span.getAttributes();
    attributes(SPAN_ATTRIBUTES, attributes);
    uint32(SPAN_DROPPED_ATTRIBUTES, span.getTotalAttributeCount() - attributes.size());
    List<EventData> events = span.getEvents();
    for (int i = 0; i < events.size(); i++) {
      event(events.get(i));
    }
    uint32(SPAN_DROPPED_EVENTS, span.getTotalRecordedEvents() - events.size());
    List<LinkData> links = span.getLinks();
    for (int i = 0; i < links.size(); i++) {
      link(links.get(i));
    }
    uint32(SPAN_DROPPED_LINKS, span.getTotalRecordedLinks() - links.size());
    status(span.getStatus());
    flags(SPAN_FLAGS, context, parent.isRemote());
    out.end(start, SPAN_RESERVE);
  }

  private void event(EventData event) {
    int start = out.begin(SPAN_EVENTS, SPAN_RESERVE);
    fixed64(EVENT_TIME, event.getEpochNanos());
    string(EVENT_NAME, event.getName());
    Attributes attributes = event.getAttributes();
    attributes(EVENT_ATTRIBUTES, attributes);
    uint32(EVENT_DROPPED_ATTRIBUTES, event.getTotalAttributeCount() - attributes.size());
    out.end(start, SPAN_RESERVE);
  }

  private void link(LinkData link) {
    int start = out.begin(SPAN_LINKS, SMALL_RESERVE);
    SpanContext context = link.getSpanContext();
    ids(LINK_TRACE_ID, LINK_SPAN_ID, LINK_TRACE_STATE, context);
    Attributes attributes = link.getAttributes();
    attributes(LINK_ATTRIBUTES, attributes);
    uint32(LINK_DROPPED_ATTRIBUTES, link.getTotalAttributeCount() - attributes.size());
    flags(LINK_FLAGS, context, context.isRemote());
    out.end(start, SMALL_RESERVE);
  }

  /** The W3C trace flags plus whether the parent (of a span) or the linked span is remote: always written. */
  private void flags(int field, SpanContext context, boolean remote) {
    out.tag(field, ProtoWriter.FIXED32);
    out.fixed32(context.getTraceFlags().asByte() & 0xFF | HAS_IS_REMOTE | (remote ? IS_REMOTE : 0));
  }

  private void status(StatusData status) {
    int start = out.begin(SPAN_STATUS, SMALL_RESERVE);
    string(STATUS_MESSAGE, status.getDescription());
    StatusCode code = status.getStatusCode();
    uint32(STATUS_CODE, code == StatusCode.OK ? 1 : code == StatusCode.ERROR ? 2 : 0);
    out.end(start, SMALL_RESERVE);
  }

  /** A span's or a link's trace id, span id and trace state. */
  private void ids(int traceIdField, int spanIdField, int traceStateField, SpanContext context) {
    out.hex(traceIdField, context.getTraceId());
    out.hex(spanIdField, context.getSpanId());
    traceState(traceStateField, context.getTraceState());
  }

  private void traceState(int field, TraceState state) {
    if (state.isEmpty()) {
      return;
    }
    StringBuilder w3c = new StringBuilder();
    state.forEach((key, value) -> {
      if (w3c.length() > 0) {
        w3c.append(',');
      }
      w3c.append(key).append('=').append(value);
    });
    out.string(field, w3c.toString());
  }

  private void attributes(int field, Attributes attributes) {
    if (attributes.isEmpty()) {
      return;
    }
    int outer = attributeField;
    attributeField = field;
    attributes.forEach(this);
    attributeField = outer;
  }

  /** One attribute as a {@code KeyValue}; called by {@link Attributes#forEach}. */
  @Override
  public void accept(AttributeKey<?> key, Object value) {
    int start = out.begin(attributeField, SMALL_RESERVE);
    if (key instanceof InternalAttributeKeyImpl<?> cached) {
      byte[] utf8 = cached.getKeyUtf8();
      if (utf8.length > 0) {
        out.bytes(KEY_VALUE_KEY, utf8);
      }
    } else {
      string(KEY_VALUE_KEY, key.getKey());
    }
    int any = out.begin(KEY_VALUE_VALUE, SMALL_RESERVE);
    switch (key.getType()) {
      case STRING -> out.string(ANY_STRING, (String) value);
      case BOOLEAN -> bool((Boolean) value);
      case LONG -> int64((Long) value);
      case DOUBLE -> dbl((Double) value);
      case STRING_ARRAY, BOOLEAN_ARRAY, LONG_ARRAY, DOUBLE_ARRAY -> array((List<?>) value);
      case VALUE -> anyValueContent((Value<?>) value);
    }
    out.end(any, SMALL_RESERVE);
    out.end(start, SMALL_RESERVE);
  }

  private void array(List<?> values) {
    int start = out.begin(ANY_ARRAY, SMALL_RESERVE);
    for (Object value : values) {
      int any = out.begin(ARRAY_VALUES, SMALL_RESERVE);
      if (value instanceof String s) {
        out.string(ANY_STRING, s);
      } else if (value instanceof Boolean b) {
        bool(b);
      } else if (value instanceof Long l) {
        int64(l);
      } else if (value instanceof Double d) {
        dbl(d);
      }
      out.end(any, SMALL_RESERVE);
    }
    out.end(start, SMALL_RESERVE);
  }

  private void anyValueContent(Value<?> value) {
    switch (value.getType()) {
      case STRING -> out.string(ANY_STRING, (String) value.getValue());
      case BOOLEAN -> bool((Boolean) value.getValue());
      case LONG -> int64((Long) value.getValue());
      case DOUBLE -> dbl((Double) value.getValue());
      case ARRAY -> {
        int start = out.begin(ANY_ARRAY, SMALL_RESERVE);
        for (Object element : (List<?>) value.getValue()) {
          int any = out.begin(ARRAY_VALUES, SMALL_RESERVE);
          anyValueContent((Value<?>) element);
          out.end(any, SMALL_RESERVE);
        }
        out.end(start, SMALL_RESERVE);
      }
      case KEY_VALUE_LIST -> {
        int start = out.begin(ANY_KVLIST, SMALL_RESERVE);
        for (Object element : (List<?>) value.getValue()) {
          KeyValue kv = (KeyValue) element;
          int entry = out.begin(KVLIST_VALUES, SMALL_RESERVE);
          string(KEY_VALUE_KEY, kv.getKey());
          int any = out.begin(KEY_VALUE_VALUE, SMALL_RESERVE);
          anyValueContent(kv.getValue());
          out.end(any, SMALL_RESERVE);
          out.end(entry, SMALL_RESERVE);
        }
        out.end(start, SMALL_RESERVE);
      }
      case BYTES -> {
        ByteBuffer bytes = ((ByteBuffer) value.getValue()).duplicate();
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(copy);
        out.bytes(ANY_BYTES, copy);
      }
      case EMPTY -> { }
    }
  }

  private void bool(boolean value) {
    out.tag(ANY_BOOL, ProtoWriter.VARINT);
    out.varint(value ? 1 : 0);
  }

  private void int64(long value) {
    out.tag(ANY_INT, ProtoWriter.VARINT);
    out.varint64(value);
  }

  private void dbl(double value) {
    out.tag(ANY_DOUBLE, ProtoWriter.FIXED64);
    out.fixed64(Double.doubleToRawLongBits(value));
  }

  /** A proto3 string: omitted when empty or absent. */
  private void string(int field, String value) {
    if (value != null && !value.isEmpty()) {
      out.string(field, value);
    }
  }

  /** A proto3 scalar: omitted when zero. */
  private void uint32(int field, int value) {
    if (value != 0) {
      out.tag(field, ProtoWriter.VARINT);
      out.varint(value);
    }
  }

  private void fixed64(int field, long value) {
    if (value != 0) {
      out.tag(field, ProtoWriter.FIXED64);
      out.fixed64(value);
    }
  }

  private static <T> void addIfAbsent(List<T> list, T item) {
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) == item) {
        return;
      }
    }
    list.add(item);
  }
}
