package dev.mcpgw.gateway.testing.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;

/**
 * The tools and prompts of the 2026-07-28 side of the conformance upstream, as the draft scenarios call them. The
 * multi round-trip ones (SEP-2322) answer an {@code InputRequiredResult} naming what they need from the client
 * ({@code elicitation/create}, {@code sampling/createMessage}, {@code roots/list}), and complete when the client
 * retries with {@code inputResponses} (and the {@code requestState} they handed out, sealed by {@link RequestStates}).
 */
final class DraftTools {
  static final String CLIENT_CAPABILITIES = "io.modelcontextprotocol/clientCapabilities";
  static final String LOG_LEVEL = "io.modelcontextprotocol/logLevel";
  /** The tool with a parameter mirrored into a header ({@code x-mcp-header}, SEP-2243). */
  static final String HEADER_TOOL = "test_header_param";
  static final String HEADER_PARAM = "region";
  static final String HEADER_SUFFIX = "Region";

  /** What a call answers: its result, and the notifications that go before it (on an SSE stream when any). */
  record Reply(ObjectNode result, List<ObjectNode> before, boolean stream) {
    static Reply of(ObjectNode result) {
      return new Reply(result, List.of(), false);
    }
  }

  private final ObjectMapper json;
  private final RequestStates states;
  private final DraftSubscriptions subscriptions;
  private final Map<String, BiFunction<ObjectNode, JsonNode, Reply>> tools = new LinkedHashMap<>();
  private final AtomicBoolean extraTool = new AtomicBoolean();
  private final AtomicBoolean extraPrompt = new AtomicBoolean();

  DraftTools(ObjectMapper json, RequestStates states, DraftSubscriptions subscriptions) {
    this.json = json;
    this.states = states;
    this.subscriptions = subscriptions;
    tools.put("test_simple_text", (p, meta) -> Reply.of(text("This is a simple text response for testing.")));
    tools.put(HEADER_TOOL, (p, meta) ->
        Reply.of(text("region=" + p.path("arguments").path(HEADER_PARAM).asText())));
    tools.put("test_missing_capability", this::missingCapability);
    tools.put("test_streaming_elicitation", (p, meta) ->
        new Reply(inputRequired(Map.of("user_name", elicit("What is your name?", "name")), null), List.of(), true));
    tools.put("test_logging_tool", this::logging);
    tools.put("test_trigger_tool_change", (p, meta) -> {
      extraTool.set(!extraTool.get());
      subscriptions.changed("toolsListChanged", "notifications/tools/list_changed");
      return Reply.of(text("the tool list changed"));
    });
    tools.put("test_trigger_prompt_change", (p, meta) -> {
      extraPrompt.set(!extraPrompt.get());
      subscriptions.changed("promptsListChanged", "notifications/prompts/list_changed");
      return Reply.of(text("the prompt list changed"));
    });
    tools.put("test_input_required_result_elicitation", (p, meta) -> single(p, "user_name",
        elicit("What is your name?", "name"), r -> "Hello, " + r.path("content").path("name").asText() + "!"));
    tools.put("test_input_required_result_sampling", (p, meta) -> single(p, "capital_question",
        sample("What is the capital of France?"), r -> "LLM said: " + r.path("content").path("text").asText()));
    tools.put("test_input_required_result_list_roots", (p, meta) -> single(p, "client_roots", roots(),
        r -> "roots: " + r.path("roots").size()));
    tools.put("test_input_required_result_request_state", this::requestState);
    tools.put("test_input_required_result_tampered_state", this::requestState);
    tools.put("test_input_required_result_multiple_inputs", this::multipleInputs);
    tools.put("test_input_required_result_multi_round", this::multiRound);
    tools.put("test_input_required_result_capabilities", this::capabilities);
  }

  ObjectNode list() {
    ObjectNode result = json.createObjectNode();
    ArrayNode list = result.putArray("tools");
    for (String name : tools.keySet()) {
      ObjectNode tool = list.addObject().put("name", name).put("description", "Conformance tool " + name);
      ObjectNode schema = tool.putObject("inputSchema").put("type", "object");
      ObjectNode properties = schema.putObject("properties");
      if (name.equals(HEADER_TOOL)) {
        properties.putObject(HEADER_PARAM).put("type", "string").put("description", "A region, mirrored in a header")
            .put("x-mcp-header", HEADER_SUFFIX);
        schema.putArray("required").add(HEADER_PARAM);
      }
    }
    if (extraTool.get()) {
      list.addObject().put("name", "test_dynamic_tool").put("description", "Appears after a change")
          .putObject("inputSchema").put("type", "object");
    }
    return result;
  }

  /** The input schema of {@code name}, or {@code null} when there is no such tool. */
  JsonNode schemaOf(String name) {
    for (JsonNode tool : list().get("tools")) {
      if (tool.path("name").asText().equals(name)) {
        return tool.get("inputSchema");
      }
    }
    return null;
  }

  Reply call(ObjectNode params, JsonNode meta) {
    String name = params.path("name").asText();
    BiFunction<ObjectNode, JsonNode, Reply> tool = tools.get(name);
    if (tool == null) {
      if (name.equals("test_dynamic_tool") && extraTool.get()) {
        return Reply.of(text("dynamic"));
      }
      throw new DraftError(DraftError.INVALID_PARAMS, "Unknown tool: " + name);
    }
    return tool.apply(params, meta);
  }

  ObjectNode prompts() {
    ObjectNode result = json.createObjectNode();
    ArrayNode list = result.putArray("prompts");
    list.addObject().put("name", "test_simple_prompt").put("description", "A simple prompt without arguments");
    list.addObject().put("name", "test_input_required_result_prompt")
        .put("description", "A prompt that asks the client for context first");
    if (extraPrompt.get()) {
      list.addObject().put("name", "test_dynamic_prompt").put("description", "Appears after a change");
    }
    return result;
  }

  ObjectNode prompt(ObjectNode params) {
    String name = params.path("name").asText();
    return switch (name) {
      case "test_simple_prompt" -> messages("This is a simple prompt for testing.");
      case "test_input_required_result_prompt" -> {
        JsonNode answer = response(params, "prompt_context");
        if (answer == null) {
          yield inputRequired(Map.of("prompt_context", elicit("Which context?", "context")), null);
        }
        yield messages("Prompt with context: " + answer.path("content").path("context").asText());
      }
      default -> throw new DraftError(DraftError.INVALID_PARAMS, "Unknown prompt: " + name);
    };
  }

  private Reply missingCapability(ObjectNode params, JsonNode meta) {
    if (!meta.path(CLIENT_CAPABILITIES).has("sampling")) {
      ObjectNode data = json.createObjectNode();
      data.putObject("requiredCapabilities").putObject("sampling");
      throw new DraftError(DraftError.MISSING_CLIENT_CAPABILITY,
          "MissingRequiredClientCapabilityError: this tool needs sampling", data);
    }
    return single(params, "completion", sample("Say hello"), r -> "LLM said: " + r.path("content").path("text"));
  }

  /** Logs only when the request set a log level: no level, no {@code notifications/message}. */
  private Reply logging(ObjectNode params, JsonNode meta) {
    if (!meta.has(LOG_LEVEL)) {
      return Reply.of(text("Tool with logging executed successfully"));
    }
    List<ObjectNode> logs = new ArrayList<>();
    for (String line : List.of("Tool execution started", "Tool execution completed")) {
      ObjectNode n = json.createObjectNode().put("jsonrpc", "2.0").put("method", "notifications/message");
      n.putObject("params").put("level", "info").put("data", line);
      logs.add(n);
    }
    return new Reply(text("Tool with logging executed successfully"), logs, true);
  }

  private Reply requestState(ObjectNode params, JsonNode meta) {
    String tool = params.path("name").asText();
    JsonNode answer = response(params, "confirm");
    if (answer == null || !params.path("requestState").isTextual()) {
      ObjectNode state = json.createObjectNode().put("step", 1);
      return Reply.of(inputRequired(Map.of("confirm", elicit("Please confirm", "ok")), states.seal(tool, state)));
    }
    ObjectNode state = states.open(tool, params.get("requestState").textValue());
    if (state == null || state.path("step").asInt() != 1) {
      throw new DraftError(DraftError.INVALID_PARAMS, "requestState failed its integrity check");
    }
    return Reply.of(text("state-ok: the request state was verified"));
  }

  private Reply multipleInputs(ObjectNode params, JsonNode meta) {
    String tool = params.path("name").asText();
    Map<String, ObjectNode> asked = new LinkedHashMap<>();
    asked.put("user_name", elicit("What is your name?", "name"));
    asked.put("greeting", sample("Write a greeting"));
    asked.put("client_roots", roots());
    boolean all = asked.keySet().stream().allMatch(k -> response(params, k) != null);
    if (!all || !params.path("requestState").isTextual()) {
      return Reply.of(inputRequired(asked, states.seal(tool, json.createObjectNode().put("step", 1))));
    }
    if (states.open(tool, params.get("requestState").textValue()) == null) {
      throw new DraftError(DraftError.INVALID_PARAMS, "requestState failed its integrity check");
    }
    return Reply.of(text("all three inputs received"));
  }

  private Reply multiRound(ObjectNode params, JsonNode meta) {
    String tool = params.path("name").asText();
    ObjectNode state = params.path("requestState").isTextual()
        ? states.open(tool, params.get("requestState").textValue()) : null;
    if (params.path("requestState").isTextual() && state == null) {
      throw new DraftError(DraftError.INVALID_PARAMS, "requestState failed its integrity check");
    }
    int step = state == null ? 0 : state.path("step").asInt();
    if (step == 1) {
      JsonNode name = response(params, "step1");
      if (name == null) {
        return Reply.of(inputRequired(Map.of("step1", elicit("What is your name?", "name")),
            params.get("requestState").textValue()));
      }
      ObjectNode next = json.createObjectNode().put("step", 2).put("name", name.path("content").path("name").asText());
      return Reply.of(inputRequired(Map.of("step2", elicit("What is your favourite colour?", "color")),
          states.seal(tool, next)));
    }
    if (step == 2) {
      JsonNode color = response(params, "step2");
      if (color == null) {
        return Reply.of(inputRequired(Map.of("step2", elicit("What is your favourite colour?", "color")),
            params.get("requestState").textValue()));
      }
      return Reply.of(text(state.path("name").asText() + " likes " + color.path("content").path("color").asText()));
    }
    return Reply.of(inputRequired(Map.of("step1", elicit("What is your name?", "name")),
        states.seal(tool, json.createObjectNode().put("step", 1))));
  }

  /** Asks only for what the client declared it can answer. */
  private Reply capabilities(ObjectNode params, JsonNode meta) {
    JsonNode declared = meta.path(CLIENT_CAPABILITIES);
    Map<String, ObjectNode> asked = new LinkedHashMap<>();
    if (declared.has("sampling")) {
      asked.put("greeting", sample("Write a greeting"));
    }
    if (declared.has("elicitation")) {
      asked.put("user_name", elicit("What is your name?", "name"));
    }
    if (declared.has("roots")) {
      asked.put("client_roots", roots());
    }
    boolean all = asked.keySet().stream().allMatch(k -> response(params, k) != null);
    if (asked.isEmpty() || all) {
      return Reply.of(text("done with " + asked.keySet()));
    }
    return Reply.of(inputRequired(asked, null));
  }

  /** One input request: asked until the client's retry answers it, then {@code done} makes the text. */
  private Reply single(ObjectNode params, String key, ObjectNode request,
      java.util.function.Function<JsonNode, String> done) {
    JsonNode answer = response(params, key);
    if (answer == null) {
      return Reply.of(inputRequired(Map.of(key, request), null));
    }
    return Reply.of(text(done.apply(answer)));
  }

  /**
   * The client's answer to {@code key}, or {@code null} when it has none yet. {@code inputResponses} that is not an
   * object, or an answer that is not an object, is a protocol error ({@code -32602}); other keys are ignored.
   */
  private static JsonNode response(ObjectNode params, String key) {
    if (!params.has("inputResponses")) {
      return null;
    }
    JsonNode responses = params.get("inputResponses");
    if (!responses.isObject()) {
      throw new DraftError(DraftError.INVALID_PARAMS, "inputResponses must be an object");
    }
    JsonNode answer = responses.get(key);
    if (answer == null) {
      return null;
    }
    if (!answer.isObject()) {
      throw new DraftError(DraftError.INVALID_PARAMS, "inputResponses." + key + " must be an object");
    }
    return answer;
  }

  private ObjectNode inputRequired(Map<String, ObjectNode> requests, String requestState) {
    ObjectNode result = json.createObjectNode().put("resultType", "input_required");
    ObjectNode map = result.putObject("inputRequests");
    requests.forEach(map::set);
    if (requestState != null) {
      result.put("requestState", requestState);
    }
    return result;
  }

  private ObjectNode elicit(String message, String field) {
    ObjectNode r = json.createObjectNode().put("method", "elicitation/create");
    ObjectNode params = r.putObject("params").put("mode", "form").put("message", message);
    ObjectNode schema = params.putObject("requestedSchema").put("type", "object");
    schema.putObject("properties").putObject(field).put("type", "string");
    schema.putArray("required").add(field);
    return r;
  }

  private ObjectNode sample(String prompt) {
    ObjectNode r = json.createObjectNode().put("method", "sampling/createMessage");
    ObjectNode params = r.putObject("params").put("maxTokens", 100);
    params.putArray("messages").addObject().put("role", "user")
        .putObject("content").put("type", "text").put("text", prompt);
    return r;
  }

  private ObjectNode roots() {
    ObjectNode r = json.createObjectNode().put("method", "roots/list");
    r.putObject("params");
    return r;
  }

  private ObjectNode text(String text) {
    ObjectNode result = json.createObjectNode();
    result.putArray("content").addObject().put("type", "text").put("text", text);
    return result;
  }

  private ObjectNode messages(String text) {
    ObjectNode result = json.createObjectNode();
    result.putArray("messages").addObject().put("role", "user")
        .putObject("content").put("type", "text").put("text", text);
    return result;
  }
}
