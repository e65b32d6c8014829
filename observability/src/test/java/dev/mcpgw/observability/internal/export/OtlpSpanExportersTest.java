package dev.mcpgw.observability.internal.export;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OtlpSpanExportersTest {

  @Test
  void aJvmFromJava23WithoutJavaLangOpenGetsAdviceNamingBothFixes() {
    assertThat(OtlpSpanExporters.stringEncodingAdvice(25, false)).hasValueSatisfying(advice -> assertThat(advice)
        .contains("java -jar mcpgw.jar", "--add-opens java.base/java.lang=ALL-UNNAMED"));
  }

  @Test
  void anOpenJavaLangOrAnOlderJavaNeedsNoAdvice() {
    assertThat(OtlpSpanExporters.stringEncodingAdvice(25, true)).isEmpty();
    assertThat(OtlpSpanExporters.stringEncodingAdvice(21, false)).isEmpty();
    assertThat(OtlpSpanExporters.stringEncodingAdvice(23, true)).isEmpty();
  }
}
