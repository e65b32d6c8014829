package dev.mcpgw.gateway.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogRedactionTest {
  @Test
  void bearerAndBasicCredentialsAreMasked() {
    assertThat(LogRedaction.redact("Authorization: Bearer abc.DEF-123_xyz failed"))
        .doesNotContain("abc.DEF-123_xyz").contains("Authorization: ****");
    assertThat(LogRedaction.redact("got bearer abc.DEF-123_xyz")).isEqualTo("got bearer ****");
    assertThat(LogRedaction.redact("sent basic YWRtaW46aHVudGVyMg== to it")).doesNotContain("YWRtaW46aHVudGVyMg==");
  }

  @Test
  void keyValuePairsNamingASecretAreMasked() {
    String line = LogRedaction.redact(
        "password=hunter2 api_key: k-123456 {\"client_secret\":\"s3cr3t\"} token=t0k3n x-api-key=abcdef user=bob");
    assertThat(line).doesNotContain("hunter2", "k-123456", "s3cr3t", "t0k3n", "abcdef").contains("user=bob");
  }

  @Test
  void jwtsApiKeyShapesAndUrlUserinfoAreMasked() {
    String jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ";
    String line = LogRedaction.redact("token " + jwt + " key sk-abcdefghijklmnopqrstuvwx ghp_abcdefghijklmnopqrstuvwx12 "
        + "AKIAABCDEFGHIJKLMNOP at https://bob:pw123@example.com/mcp");
    assertThat(line).doesNotContain(jwt, "sk-abcdefghijklmnopqrstuvwx", "ghp_abcdefghijklmnopqrstuvwx12",
        "AKIAABCDEFGHIJKLMNOP", "pw123").contains("https://****@example.com/mcp");
  }

  @Test
  void ordinaryTextIsLeftAlone() {
    String text = "upstream 'everything' healthy after 3 attempts (circuit CLOSED), 12 tools; basic auth is off, "
        + "use bearer tokens from `mcpgw token`";
    assertThat(LogRedaction.redact(text)).isEqualTo(text);
    assertThat(LogRedaction.redact(null)).isNull();
  }
}
