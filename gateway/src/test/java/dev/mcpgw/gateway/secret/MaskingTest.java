package dev.mcpgw.gateway.secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MaskingTest {
  @Test
  void userinfoAndQueryValuesAreMaskedHostPathAndNamesStay() {
    assertThat(Masking.url("https://user:pass@host.example:8443/path/mcp?api_key=abc&mode=x"))
        .isEqualTo("https://****:****@host.example:8443/path/mcp?api_key=****&mode=****");
  }

  @Test
  void aUserWithoutPasswordABareQueryParameterAndAFragmentAreMaskedToo() {
    assertThat(Masking.url("http://token@h/p?sekrit#frag")).isEqualTo("http://****@h/p?****#****");
  }

  @Test
  void aUrlWithoutSecretsIsUnchanged() {
    assertThat(Masking.url("http://127.0.0.1:9/mcp")).isEqualTo("http://127.0.0.1:9/mcp");
    assertThat(Masking.url("http://[::1]:9/mcp")).isEqualTo("http://[::1]:9/mcp");
    assertThat(Masking.url(null)).isNull();
  }

  @Test
  void somethingThatIsNotAUrlIsMaskedWhole() {
    assertThat(Masking.url("not a url with sp@ces")).isEqualTo("****");
  }

  @Test
  void headerAndEnvValuesAreMaskedTheirNamesStay() {
    assertThat(Masking.values(Map.of("Authorization", "Bearer x", "X-Key", "y")))
        .containsExactly(Map.entry("Authorization", "****"), Map.entry("X-Key", "****"));
  }
}
