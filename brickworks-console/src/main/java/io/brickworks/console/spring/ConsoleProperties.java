package io.brickworks.console.spring;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The web console ({@code brickworks.console.*}), served on the management port. */
@ConfigurationProperties("brickworks.console")
public class ConsoleProperties {

    /** Whether the console is served (under the management base path, at {@code /brickworks}). */
    private boolean enabled = false;

    /**
     * Whether actions (requeue or purge dead letters, release a stuck lock, purge a tenant) may run. Each
     * also needs an authenticated user with {@link #actionRole} (Spring Security), so without Spring
     * Security no action runs even when this is on.
     */
    private boolean actionsEnabled = false;

    /** The role a user needs to run actions (without the {@code ROLE_} prefix). */
    private String actionRole = "BRICKWORKS_ADMIN";

    /** Whether dead letters' payloads are shown (they may be personal data). */
    private boolean valuesShown = false;

    /** How often the charts sample the application's meters. */
    private Duration sampleEvery = Duration.ofSeconds(5);

    /** How far back the charts reach. */
    private Duration window = Duration.ofMinutes(10);

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean isActionsEnabled() {
        return actionsEnabled;
    }

    public void setActionsEnabled(boolean actionsEnabled) {
        this.actionsEnabled = actionsEnabled;
    }

    public String getActionRole() {
        return actionRole;
    }

    public void setActionRole(String actionRole) {
        this.actionRole = actionRole;
    }

    public boolean isValuesShown() {
        return valuesShown;
    }

    public void setValuesShown(boolean valuesShown) {
        this.valuesShown = valuesShown;
    }

    public Duration getSampleEvery() {
        return sampleEvery;
    }

    public void setSampleEvery(Duration sampleEvery) {
        this.sampleEvery = sampleEvery;
    }

    public Duration getWindow() {
        return window;
    }

    public void setWindow(Duration window) {
        this.window = window;
    }
}
