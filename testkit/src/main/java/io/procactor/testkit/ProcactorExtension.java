package io.procactor.testkit;

import io.procactor.ActorSystem;
import io.procactor.ProcactorConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link ProcactorTest}: gives tests an {@link ActorSystem} and
 * {@link TestProbe}s as parameters, closes the system, and fails the test if a child process
 * outlives it.
 *
 * <p><b>Scope.</b> A system asked for by a {@code @BeforeAll} method (or a constructor under
 * {@code @TestInstance(PER_CLASS)}) belongs to the class: every test of the class gets that one,
 * and it is closed after the last test ({@code @AfterAll}). Otherwise each test method gets a
 * system of its own, created when first asked for (by a {@code @BeforeEach} method or the test
 * itself) and closed after the test, after its {@code @AfterEach} methods. A {@link TestProbe}
 * parameter is a new probe in that system.
 *
 * <p><b>Leftover processes.</b> After closing a per-method system, the extension waits up to
 * {@link #EXIT_GRACE} (or {@link ProcactorTest#exitGraceMillis()}; times the test time factor, see {@link Timeouts}) for every process that
 * the test started (any descendant of the test JVM that was not running before the test: the
 * system's children, pool workers, a {@code ProcessBuilder}'s process) to be gone; if one is
 * still alive the test fails naming it, and it is killed. With a per-class system the same check
 * runs after the class. Processes running before the test are not counted, so the check assumes
 * the tests of one JVM run one at a time (JUnit's default).
 *
 * <p><b>Settings.</b> Each system is built from {@link #testSettings()} (shorter heartbeats and
 * grace periods, scaled by the time factor), then {@link ProcactorTest#config()}, then the usual
 * layers ({@code -Dprocactor...} properties win, {@code application.conf}, {@code reference.conf}).
 *
 * <p>Thread-safe: JUnit may call it from several threads; its state lives in JUnit's extension stores.
 */
public final class ProcactorExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback,
        ParameterResolver {
    /** How long, before scaling, processes get to exit after their test ended. */
    public static final Duration EXIT_GRACE = Duration.ofSeconds(10);

    private static final Namespace NS = Namespace.create(ProcactorExtension.class);
    private static final String CLASS_SCOPE = "class-scope";
    private static final String METHOD_SCOPE = "method-scope";

    /** Creates the extension; JUnit does, for {@code @ProcactorTest} or {@code @ExtendWith(ProcactorExtension.class)}. */
    public ProcactorExtension() {
    }

    /**
     * The settings a test system starts from, as {@code key=value} strings, each duration times the
     * test time factor: heartbeats every 250 ms and an unresponsive child killed after 5 s (a
     * stopped process is noticed soon), 2 s for a process to finish its {@code postStop} before it
     * is killed, 30 s for a child JVM to start (a busy machine is slow, never wrong).
     */
    public static List<String> testSettings() {
        return List.of(
                "procactor.process.heartbeat-interval=" + millis(Duration.ofMillis(250)),
                "procactor.process.heartbeat-timeout=" + millis(Duration.ofSeconds(5)),
                "procactor.process.terminate-grace-period=" + millis(Duration.ofSeconds(2)),
                "procactor.process.start-timeout=" + millis(Duration.ofSeconds(30)));
    }

    private static String millis(Duration d) {
        return Timeouts.scaled(d).toMillis() + "ms";
    }

    /** What one scope (a class or a test method) started with and was given. */
    private static final class Scope {
        final String what;
        final Duration grace;
        final Set<Long> before = ChildProcesses.snapshot();
        private ActorSystem system;
        private int probes;

        Scope(String what, ExtensionContext context) {
            this.what = what;
            this.grace = Timeouts.scaled(annotation(context).map(a -> Duration.ofMillis(a.exitGraceMillis())).orElse(EXIT_GRACE));
        }

        synchronized ActorSystem system(ExtensionContext context) {
            if (system == null) {
                system = createSystem(context);
            }
            return system;
        }

        synchronized Optional<ActorSystem> existing() {
            return Optional.ofNullable(system);
        }

        synchronized String nextProbeName() {
            return "probe-" + ++probes;
        }

        /** Closes the system if there is one, then checks that what this scope started is gone. */
        void close() {
            ActorSystem s;
            synchronized (this) {
                s = system;
                system = null;
            }
            Throwable closing = null;
            if (s != null) {
                try {
                    s.close();
                } catch (RuntimeException e) {
                    closing = e;
                }
            }
            try {
                ChildProcesses.assertNoneLeft(before, grace, what);
            } catch (AssertionError e) {
                if (closing != null) {
                    e.addSuppressed(closing);
                }
                throw e;
            }
            if (closing != null) {
                throw new AssertionError("closing the ActorSystem of " + what + " failed: " + closing, closing);
            }
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NS).put(CLASS_SCOPE, new Scope("test class " + context.getRequiredTestClass().getSimpleName(), context));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put(METHOD_SCOPE, new Scope("test " + context.getRequiredTestClass().getSimpleName() + "."
                + context.getRequiredTestMethod().getName() + "()", context));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Scope scope = context.getStore(NS).remove(METHOD_SCOPE, Scope.class);
        if (scope != null && classScope(context).flatMap(Scope::existing).isEmpty()) {
            scope.close(); // with a per-class system, its children outlive each test: the class checks
        } else if (scope != null) {
            scope.existing().ifPresent(ActorSystem::close);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Scope scope = context.getStore(NS).remove(CLASS_SCOPE, Scope.class);
        if (scope != null) {
            scope.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == ActorSystem.class || type == TestProbe.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Scope scope = scopeFor(context);
        ActorSystem system = scope.system(context);
        if (parameter.getParameter().getType() == ActorSystem.class) {
            return system;
        }
        return TestProbe.create(system, scope.nextProbeName());
    }

    /** The class's system if it has one; otherwise, inside a test method, the method's (created on demand). */
    private static Scope scopeFor(ExtensionContext context) {
        Optional<Scope> classScope = classScope(context);
        if (context.getTestMethod().isEmpty()) {
            return classScope.orElseThrow(() -> new ParameterResolutionException("ProcactorExtension was not set up for "
                    + context.getDisplayName() + "; register it on the test class (@ProcactorTest)"));
        }
        if (classScope.flatMap(Scope::existing).isPresent()) {
            return classScope.get();
        }
        return context.getStore(NS).getOrComputeIfAbsent(METHOD_SCOPE, k -> new Scope("test "
                + context.getRequiredTestMethod().getName() + "()", context), Scope.class);
    }

    private static Optional<Scope> classScope(ExtensionContext context) {
        ExtensionContext c = context;
        while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
            c = c.getParent().get();
        }
        return Optional.ofNullable(c.getStore(NS).get(CLASS_SCOPE, Scope.class));
    }

    private static ActorSystem createSystem(ExtensionContext context) {
        Optional<ProcactorTest> annotation = annotation(context);
        List<String> settings = new ArrayList<>(testSettings());
        annotation.ifPresent(a -> settings.addAll(List.of(a.config())));
        String name = annotation.map(ProcactorTest::name).filter(n -> !n.isEmpty())
                .orElseGet(() -> systemName(context.getRequiredTestClass()));
        ActorSystem.Builder builder = ActorSystem.builder(name).config(ProcactorConfig.load(settings, null, null));
        annotation.ifPresent(a -> builder.register(a.register()));
        return builder.build();
    }

    private static Optional<ProcactorTest> annotation(ExtensionContext context) {
        return AnnotationSupport.findAnnotation(context.getRequiredTestClass(), ProcactorTest.class);
    }

    /** {@code DoublerTest} becomes {@code doublertest}; characters a system name cannot have become '-'. */
    static String systemName(Class<?> testClass) {
        String n = testClass.getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]", "-");
        return n.isEmpty() || !Character.isLetterOrDigit(n.charAt(0)) ? "test" + n : n;
    }
}
