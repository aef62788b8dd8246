package io.touchpoint.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Settings resolve as defaults < config file < environment < command-line flags; bad input is a clear error. */
class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void defaultsApplyWhenNothingIsGiven() {
        ServerConfig c = new ConfigLoader(null, Map.of(), Map.of()).load();
        assertThat(c.bind()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.dataDir()).isEqualTo(Path.of("data"));
        assertThat(c.durableCommits()).isTrue();
        assertThat(c.httpsRequired()).isEqualTo(ServerConfig.HttpsRequired.AUTO);
        assertThat(c.httpsRequiredEffective()).as("loopback bind").isFalse();
        assertThat(c.allowLoopbackHttp()).isTrue();
        assertThat(c.trustedProxies()).isEmpty();
        assertThat(c.tlsEnabled()).isFalse();
        assertThat(c.tlsKeystorePassword()).isNull();
        assertThat(c.queueCapacity()).isEqualTo(50_000);
        assertThat(c.maxBatch()).isEqualTo(2_000);
        assertThat(c.proxyHeaders()).isEqualTo(ServerConfig.ProxyHeaders.X_FORWARDED);
        assertThat(c.pixelPathPrefix()).isEqualTo("/t/");
        assertThat(c.pixelScriptName()).isEqualTo("a.js");
        assertThat(c.pixelCollectName()).isEqualTo("e");
        assertThat(c.pixelServerCookie()).isTrue();
    }

    @Test
    void firstPartyPathsAndProxySettings() {
        ServerConfig c = new ConfigLoader(null, Map.of(), Map.of("pixel.path-prefix", "/assets/x-1/", "pixel.script-name",
                "lib.js", "pixel.collect-name", "ping", "pixel.server-cookie", "false", "proxies.headers", "forwarded",
                "proxies.trusted", "10.0.0.0/8, 2001:db8::/32")).load();
        assertThat(c.pixelPathPrefix()).isEqualTo("/assets/x-1/");
        assertThat(c.pixelScriptName()).isEqualTo("lib.js");
        assertThat(c.pixelCollectName()).isEqualTo("ping");
        assertThat(c.pixelServerCookie()).isFalse();
        assertThat(c.proxyHeaders()).isEqualTo(ServerConfig.ProxyHeaders.FORWARDED);
        assertThat(c.trustedProxies()).containsExactly("10.0.0.0/8", "2001:db8::/32");
        for (String bad : List.of("t", "/t", "t/", "/", "//", "/api/", "/pixel/x/", "/collect/", "/a b/", "/t/../")) {
            assertThatThrownBy(() -> new ConfigLoader(null, Map.of(), Map.of("pixel.path-prefix", bad)).load()).as(bad)
                    .isInstanceOf(ConfigException.class).hasMessageContaining("pixel.path-prefix");
        }
        assertThatThrownBy(() -> new ConfigLoader(null, Map.of(), Map.of("pixel.collect-name", "a/b")).load())
                .isInstanceOf(ConfigException.class).hasMessageContaining("pixel.collect-name");
        assertThatThrownBy(() -> new ConfigLoader(null, Map.of(), Map.of("pixel.collect-name", "a.js")).load())
                .isInstanceOf(ConfigException.class).hasMessageContaining("must differ");
        assertThatThrownBy(() -> new ConfigLoader(null, Map.of(), Map.of("proxies.headers", "x-real-ip")).load())
                .isInstanceOf(ConfigException.class).hasMessageContaining("x-forwarded, forwarded");
        assertThatThrownBy(() -> new ConfigLoader(null, Map.of(), Map.of("proxies.trusted", "10.0.0.0/33")).load())
                .isInstanceOf(ConfigException.class).hasMessageContaining("proxies.trusted");
        assertThatThrownBy(() -> new ConfigLoader(null, Map.of(), Map.of("proxies.trusted", "proxy.internal")).load())
                .isInstanceOf(ConfigException.class).hasMessageContaining("proxies.trusted");
    }

    /** Each layer, when present, wins over every layer below it. */
    @ParameterizedTest(name = "file={0} env={1} flag={2} -> {3}")
    @CsvSource({
            "false, false, false, 8080",
            "true,  false, false, 1111",
            "false, true,  false, 2222",
            "false, false, true,  3333",
            "true,  true,  false, 2222",
            "true,  false, true,  3333",
            "false, true,  true,  3333",
            "true,  true,  true,  3333",
    })
    void precedenceIsDefaultsThenFileThenEnvironmentThenFlags(boolean file, boolean env, boolean flag, int port)
            throws IOException {
        Path config = file ? write("port=1111\nbind=10.1.1.1\n") : null;
        Map<String, String> environment = env ? Map.of("TOUCHPOINT_PORT", "2222", "TOUCHPOINT_BIND", "10.2.2.2") : Map.of();
        Map<String, String> flags = flag ? Map.of("port", "3333", "bind", "10.3.3.3") : Map.of();
        ServerConfig c = new ConfigLoader(config, environment, flags).load();
        assertThat(c.port()).isEqualTo(port);
        assertThat(c.bind()).isEqualTo(switch (port) {
            case 1111 -> "10.1.1.1";
            case 2222 -> "10.2.2.2";
            case 3333 -> "10.3.3.3";
            default -> "127.0.0.1";
        });
    }

    @Test
    void layersMergeKeyByKey() throws IOException {
        Path config = write("port=1111\ningest.max-batch=10\nstorage.sync=normal\n");
        ServerConfig c = new ConfigLoader(config, Map.of("TOUCHPOINT_INGEST_MAX_BATCH", "20"), Map.of("data", "/srv/tp"))
                .load();
        assertThat(c.port()).as("from the file").isEqualTo(1111);
        assertThat(c.durableCommits()).as("from the file").isFalse();
        assertThat(c.maxBatch()).as("environment over file").isEqualTo(20);
        assertThat(c.dataDir()).as("flag").isEqualTo(Path.of("/srv/tp"));
        assertThat(c.queueCapacity()).as("default").isEqualTo(50_000);
        assertThat(c.identityCacheLinks()).as("default: the store's (negative)").isNegative();
        assertThat(new ConfigLoader(null, Map.of("TOUCHPOINT_IDENTITY_CACHE_LINKS", "500000"), Map.of()).load().identityCacheLinks())
                .isEqualTo(500_000);
        assertThat(c.identityQuietBatchOr(100_000)).as("default: the store's").isEqualTo(100_000);
        assertThat(new ConfigLoader(null, Map.of("TOUCHPOINT_IDENTITY_QUIET_BATCH", "5000"), Map.of()).load().identityQuietBatchOr(100_000))
                .isEqualTo(5_000);
        assertThatThrownBy(() -> new ConfigLoader(null, Map.of(), Map.of("identity.quiet-batch", "0")).load())
                .isInstanceOf(ConfigException.class)
                .hasMessage("identity.quiet-batch must be a whole number from 1 to 1000000, got '0'");
    }

    @Test
    void environmentNamesArePrefixedUpperCaseWithUnderscores() {
        assertThat(ConfigLoader.envName("tls.keystore-password")).isEqualTo("TOUCHPOINT_TLS_KEYSTORE_PASSWORD");
        assertThat(ConfigLoader.envName("https.allow-loopback-http")).isEqualTo("TOUCHPOINT_HTTPS_ALLOW_LOOPBACK_HTTP");
        Map<String, String> env = new HashMap<>();
        env.put("TOUCHPOINT_HTTPS_ALLOW_LOOPBACK_HTTP", "false");
        env.put("TOUCHPOINT_HTTPS_REQUIRED", "TRUE");
        env.put("TOUCHPOINT_PROXIES_TRUSTED", "10.0.0.0/8, 127.0.0.1 ,");
        env.put("TOUCHPOINT_TLS_KEYSTORE", "/etc/tp/server.p12");
        env.put("TOUCHPOINT_TLS_KEYSTORE_PASSWORD", "s3cret");
        ServerConfig c = new ConfigLoader(null, env, Map.of()).load();
        assertThat(c.allowLoopbackHttp()).isFalse();
        assertThat(c.httpsRequired()).isEqualTo(ServerConfig.HttpsRequired.TRUE);
        assertThat(c.trustedProxies()).containsExactly("10.0.0.0/8", "127.0.0.1");
        assertThat(c.tlsKeystore()).isEqualTo(Path.of("/etc/tp/server.p12"));
        assertThat(c.tlsKeystorePassword()).isEqualTo("s3cret");
        assertThat(c.tlsEnabled()).isTrue();
    }

    @Test
    void blankEnvironmentValuesAndAbsentFlagsDoNotOverride() throws IOException {
        Path config = write("port=1111\n");
        Map<String, String> flags = new HashMap<>();
        flags.put("port", null); // an option not given on the command line
        ServerConfig c = new ConfigLoader(config, Map.of("TOUCHPOINT_PORT", "  "), flags).load();
        assertThat(c.port()).isEqualTo(1111);
    }

    @Test
    void configFileComesFromTouchpointConfigUnlessOneIsGiven() throws IOException {
        Path viaEnv = write("port=4444\n");
        Path explicit = dir.resolve("explicit.properties");
        Files.writeString(explicit, "port=5555\n");
        assertThat(new ConfigLoader(null, Map.of("TOUCHPOINT_CONFIG", viaEnv.toString()), Map.of()).load().port())
                .isEqualTo(4444);
        assertThat(new ConfigLoader(explicit, Map.of("TOUCHPOINT_CONFIG", viaEnv.toString()), Map.of()).load().port())
                .isEqualTo(5555);
    }

    @Test
    void valuesInTheFileAreTrimmed() throws IOException {
        Path config = write("port = 1234   \nbind=  0.0.0.0\t\n");
        ServerConfig c = new ConfigLoader(config, Map.of(), Map.of()).load();
        assertThat(c.port()).isEqualTo(1234);
        assertThat(c.bind()).isEqualTo("0.0.0.0");
        assertThat(c.httpsRequiredEffective()).as("auto: required on a non-loopback bind").isTrue();
    }

    @Test
    void unknownKeyInTheFileIsAnErrorThatNamesTheKnownKeys() throws IOException {
        Path config = write("port=8080\nprot=9090\n");
        assertThatThrownBy(() -> new ConfigLoader(config, Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown setting 'prot'")
                .hasMessageContaining(config.toString())
                .hasMessageContaining(String.join(", ", ConfigLoader.DEFAULTS.keySet()));
        assertThat(ConfigLoader.DEFAULTS.keySet()).contains("port", "bind", "tls.keystore", "https.required");
    }

    @Test
    void missingConfigFileIsAnError() {
        Path missing = dir.resolve("nope.properties");
        assertThatThrownBy(() -> new ConfigLoader(missing, Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cannot read config file " + missing);
    }

    @ParameterizedTest
    @ValueSource(strings = {"eighty", "80.5", "-1", "65536", "", "0x50"})
    void badPortIsAnErrorNamingTheSettingAndTheRange(String port) throws IOException {
        for (ConfigLoader loader : List.of(
                new ConfigLoader(write("port=" + port + "\n"), Map.of(), Map.of()),
                new ConfigLoader(null, Map.of(), Map.of("port", port)))) {
            assertThatThrownBy(loader::load)
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("port must be a whole number from 0 to 65535, got '" + port + "'");
        }
        assertThatThrownBy(() -> new ConfigLoader(null, Map.of("TOUCHPOINT_PORT", "eighty"), Map.of()).load())
                .isInstanceOf(ConfigException.class).hasMessageContaining("port must be a whole number");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "65535"})
    void portsInRangeAreAccepted(String port) {
        assertThat(new ConfigLoader(null, Map.of(), Map.of("port", port)).load().port()).isEqualTo(Integer.parseInt(port));
    }

    @Test
    void badChoiceIsAnErrorNamingTheAllowedValues() {
        assertThatThrownBy(() -> new ConfigLoader(null, Map.of("TOUCHPOINT_STORAGE_SYNC", "sometimes"), Map.of()).load())
                .isInstanceOf(ConfigException.class)
                .hasMessage("storage.sync must be one of full, normal, got 'sometimes'");
        assertThatThrownBy(() -> new ConfigLoader(null, Map.of(), Map.of("https.allow-loopback-http", "yes")).load())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("https.allow-loopback-http must be one of true, false");
    }

    private Path write(String text) throws IOException {
        Path file = Files.createTempFile(dir, "touchpoint", ".properties");
        Files.writeString(file, text);
        return file;
    }
}
