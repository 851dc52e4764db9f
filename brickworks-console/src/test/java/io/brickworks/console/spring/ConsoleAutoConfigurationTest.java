package io.brickworks.console.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.console.BrickworksConsole;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Which console beans exist under which settings: off unless enabled, read-only unless asked. */
class ConsoleAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ConsoleAutoConfiguration.class))
            .withBean(BrickworksCache.class, () -> BrickworksCache.builder().build());

    @Test
    void offUnlessEnabled() {
        runner.run(context -> assertThat(context).doesNotHaveBean(BrickworksConsole.class));
    }

    @Test
    void enabledIsReadOnlyWithValuesHidden() {
        runner.withPropertyValues("brickworks.console.enabled=true").run(context -> {
            BrickworksConsole console = context.getBean(BrickworksConsole.class);
            assertThat(console.options().actionsEnabled()).isFalse();
            assertThat(console.options().valuesShown()).isFalse();
        });
    }

    @Test
    void actionsOnlyWhenAsked() {
        runner.withPropertyValues("brickworks.console.enabled=true", "brickworks.console.actions-enabled=true")
                .run(context -> assertThat(context.getBean(BrickworksConsole.class).options().actionsEnabled()).isTrue());
    }

    @Test
    void withoutACacheThereIsNoConsole() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ConsoleAutoConfiguration.class))
                .withPropertyValues("brickworks.console.enabled=true")
                .run(context -> assertThat(context).doesNotHaveBean(BrickworksConsole.class));
    }

    @Test
    void anApplicationsOwnConsoleWins() {
        runner.withPropertyValues("brickworks.console.enabled=true")
                .withBean("mine", BrickworksConsole.class, () -> BrickworksConsole.of(BrickworksCache.builder().build(),
                        io.brickworks.console.ConsoleOptions.defaults()))
                .run(context -> assertThat(context).hasSingleBean(BrickworksConsole.class).hasBean("mine"));
    }
}
