package dev.mcpgw.gateway.catalog;

/**
 * Told what one rendering did, for the {@code prompt.render} span: whether the parsed template came from the cache,
 * how long parsing took on a miss, how many variables were bound, how long the output is. Called on the rendering
 * thread after a successful render; must be quick and must not throw (what it throws is ignored).
 */
@FunctionalInterface
public interface RenderObserver {

  /** Observes nothing: the renderer's default, and what a disabled gateway uses. */
  RenderObserver NONE = (cacheHit, compileNanos, variables, outputChars) -> {};

  /**
   * @param cacheHit whether the parsed template was cached
   * @param compileNanos how long parsing took ({@code 0} on a hit)
   * @param variables how many arguments were bound into the template
   * @param outputChars the length of the rendered text
   */
  void rendered(boolean cacheHit, long compileNanos, int variables, int outputChars);
}
