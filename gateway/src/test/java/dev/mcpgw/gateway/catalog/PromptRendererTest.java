package dev.mcpgw.gateway.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PromptRendererTest {
  private static final String BILLION = "{% for i in range(1000) %}{% for j in range(1000) %}{% for k in range(1000) %}"
      + "{% endfor %}{% endfor %}{% endfor %}";

  @Test
  void aTemplateThatRunsPastTheBudgetFailsNamingThePromptAndItsRenderingIsStopped() {
    PromptRenderer renderer = new PromptRenderer(RenderObserver.NONE, Duration.ofSeconds(1));
    ObjectNode ada = JsonNodeFactory.instance.objectNode().put("who", "ada");
    assertThat(renderer.render("ok", "hello {{ who }}", null, ada)).isEqualTo("hello ada");

    assertThatThrownBy(() -> renderer.render("spin", BILLION, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'spin'").hasMessageContaining("longer than 1000 ms");
    // interrupted, not left spinning on a CPU
    await().atMost(Duration.ofSeconds(10)).until(() -> renderer.running() == 0);
    assertThat(renderer.render("ok", "hello {{ who }}", null, ada)).isEqualTo("hello ada");
  }

  @Test
  void aTemplateIncludesNothingFromTheClassPath() {
    assertThatThrownBy(() -> new PromptRenderer().render("peek", "{% include 'logback.xml' %}", null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'peek'").hasMessageContaining("cannot include")
        .hasMessageNotContaining("configuration");
  }
}
