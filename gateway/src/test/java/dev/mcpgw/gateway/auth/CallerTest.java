package dev.mcpgw.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CallerTest {

  @Test
  void idsWithoutControlCharactersAreLoggedAsTheyAreWithoutACopy() {
    String user = "alice@example.com";
    String tenant = "team-ä-1";
    Caller caller = new Caller(user, tenant, Caller.Role.USER);

    assertThat(caller.userIdForLog()).isSameAs(user);
    assertThat(caller.tenantIdForLog()).isSameAs(tenant);
  }

  @Test
  void aSubjectCannotForgeALogLineEveryControlCharacterBecomesAQuestionMark() {
    Caller caller = new Caller("eve\r\n2026-12-07 INFO admin logged in\u0000\u007f\u0085", "t\tx\u001b[31m",
        Caller.Role.USER);

    assertThat(caller.userIdForLog()).isEqualTo("eve??2026-12-07 INFO admin logged in???");
    assertThat(caller.tenantIdForLog()).isEqualTo("t?x?[31m");
  }
}
