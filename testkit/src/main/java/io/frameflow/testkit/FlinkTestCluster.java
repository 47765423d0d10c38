package io.frameflow.testkit;

import java.util.Objects;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The one JUnit 5 extension of the ITCases: a Flink MiniCluster (Flink's {@link
 * MiniClusterExtension}, so {@code StreamExecutionEnvironment.getExecutionEnvironment()} and
 * {@code @InjectMiniCluster} work as usual) and the Kafka broker the test needs, if any.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final FlinkTestCluster<EmbeddedKafkaBroker> CLUSTER =
 *         FlinkTestCluster.withSharedBroker().slots(2).configuration(reporter).build();
 * }</pre>
 *
 * <ul>
 *   <li>{@link #withSharedBroker()}: the JVM's {@link EmbeddedKafkaBroker#shared()} broker (tests
 *       isolate themselves with their own topics; never closed here);
 *   <li>{@link #withBroker(BrokerStarter)}: a broker of the class's own (a {@link
 *       ForkedKafkaBroker} the test kills, a {@link SecureKafkaBroker}), started before the first
 *       test and closed after the last;
 *   <li>{@link #withoutBroker()}: the MiniCluster alone, for pipelines built with a test source and
 *       collecting sinks.
 * </ul>
 *
 * The broker is also injected into test method parameters of its type.
 *
 * <p>Needs {@code flink-test-utils} and JUnit on the test class path (testkit has them as {@code
 * provided}).
 */
public final class FlinkTestCluster<B extends AutoCloseable>
        implements BeforeAllCallback,
                AfterAllCallback,
                BeforeEachCallback,
                AfterEachCallback,
                ParameterResolver {

    /** Starts a broker; may throw whatever the broker's start throws. */
    @FunctionalInterface
    public interface BrokerStarter<B extends AutoCloseable> {
        B start() throws Exception;
    }

    private final MiniClusterExtension flink;
    private final BrokerStarter<B> starter;
    private final boolean owned;
    private final Class<?> brokerType;
    private B broker;

    private FlinkTestCluster(
            MiniClusterExtension flink, BrokerStarter<B> starter, boolean owned, Class<?> type) {
        this.flink = flink;
        this.starter = starter;
        this.owned = owned;
        this.brokerType = type;
    }

    /** The MiniCluster and the JVM's shared embedded broker. */
    public static Builder<EmbeddedKafkaBroker> withSharedBroker() {
        return new Builder<>(EmbeddedKafkaBroker::shared, false, EmbeddedKafkaBroker.class);
    }

    /** The MiniCluster and a broker of this test class's own, closed after its last test. */
    public static <B extends AutoCloseable> Builder<B> withBroker(BrokerStarter<B> starter) {
        return new Builder<>(Objects.requireNonNull(starter), true, null);
    }

    /** The MiniCluster alone. */
    public static Builder<AutoCloseable> withoutBroker() {
        return new Builder<>(null, false, null);
    }

    /** The broker, started before the class's first test. */
    public B broker() {
        if (starter == null) {
            throw new IllegalStateException("this FlinkTestCluster was built withoutBroker()");
        }
        if (broker == null) {
            throw new IllegalStateException("the broker starts before the first test");
        }
        return broker;
    }

    /** Flink's own extension, for what it offers beyond this one (the test environment). */
    public MiniClusterExtension miniCluster() {
        return flink;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (starter != null) {
            broker = starter.start();
        }
        flink.beforeAll(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        flink.beforeEach(context);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        flink.afterEach(context);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            flink.afterAll(context);
        } finally {
            if (owned && broker != null) {
                broker.close();
            }
            broker = null;
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context)
            throws ParameterResolutionException {
        return isBrokerParameter(parameter) || flink.supportsParameter(parameter, context);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context)
            throws ParameterResolutionException {
        if (isBrokerParameter(parameter)) {
            return broker();
        }
        return flink.resolveParameter(parameter, context);
    }

    private boolean isBrokerParameter(ParameterContext parameter) {
        Class<?> wanted = parameter.getParameter().getType();
        if (starter == null || wanted == Object.class || wanted == AutoCloseable.class) {
            return false;
        }
        if (brokerType != null) {
            return wanted.isAssignableFrom(brokerType);
        }
        return broker != null && wanted.isInstance(broker);
    }

    /** The MiniCluster's shape and configuration. */
    public static final class Builder<B extends AutoCloseable> {
        private final BrokerStarter<B> starter;
        private final boolean owned;
        private final Class<?> brokerType;
        private int taskManagers = 1;
        private int slots = 1;
        private Configuration configuration = new Configuration();

        private Builder(BrokerStarter<B> starter, boolean owned, Class<?> brokerType) {
            this.starter = starter;
            this.owned = owned;
            this.brokerType = brokerType;
        }

        /** TaskManagers (default 1). */
        public Builder<B> taskManagers(int n) {
            this.taskManagers = n;
            return this;
        }

        /** Slots per TaskManager (default 1). */
        public Builder<B> slots(int n) {
            this.slots = n;
            return this;
        }

        /** The cluster's configuration (metric reporters, restart strategy...). */
        public Builder<B> configuration(Configuration conf) {
            this.configuration = conf;
            return this;
        }

        public FlinkTestCluster<B> build() {
            MiniClusterExtension flink =
                    new MiniClusterExtension(
                            new MiniClusterResourceConfiguration.Builder()
                                    .setNumberTaskManagers(taskManagers)
                                    .setNumberSlotsPerTaskManager(slots)
                                    .setConfiguration(configuration)
                                    .build());
            return new FlinkTestCluster<>(flink, starter, owned, brokerType);
        }
    }
}
