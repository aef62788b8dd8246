package io.touchpoint.server.cli;

import io.touchpoint.core.admin.Destinations;
import io.touchpoint.core.attribution.models.AttributionModel;
import io.touchpoint.core.destinations.DeliveryMode;
import io.touchpoint.core.destinations.DeliveryStatus;
import io.touchpoint.core.destinations.Destination;
import io.touchpoint.core.destinations.DestinationInput;
import io.touchpoint.core.destinations.DestinationType;
import io.touchpoint.core.store.DestinationStore;
import io.touchpoint.core.store.Store;
import io.touchpoint.server.config.SecretKeys;
import io.touchpoint.server.destinations.DestinationViews;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

@Command(name = "destination", mixinStandardHelpOptions = true,
        description = "Connect ad platforms and webhooks that conversions are sent to; list, disable and replay them.",
        subcommands = {DestinationCommand.Add.class, DestinationCommand.ListAll.class, DestinationCommand.Disable.class,
                DestinationCommand.Enable.class, DestinationCommand.Replay.class})
final class DestinationCommand {

    /** A command over destinations: the store plus the key that seals their secrets. */
    abstract static class DestinationStoreCommand extends StoreCommand {
        Destinations destinations(Store store) {
            return new Destinations(store, SecretKeys.box(config), Clock.systemUTC());
        }

        void print(PrintWriter out, Destinations ds, Store store, Destination d, String message) {
            if (common.json) {
                Output.json(out, DestinationViews.destination(d, ds.hints(d), store.destinations().stats(d.id())));
                return;
            }
            out.println(message);
            out.flush();
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add a destination. Secret settings are encrypted at rest; give them as @FILE (or @- for standard"
                    + " input) to keep them out of the shell's history.")
    static final class Add extends DestinationStoreCommand {
        @Parameters(index = "0", paramLabel = "WORKSPACE", description = "workspace id or name")
        String workspace;

        @Parameters(index = "1", paramLabel = "TYPE", description = "meta, google_ads, tiktok, ga4 or webhook")
        String type;

        @Option(names = "--name", required = true, description = "a name to tell it apart, e.g. 'Meta – main pixel'")
        String name;

        @Option(names = {"-s", "--setting"}, paramLabel = "KEY=VALUE", description = "a setting, e.g. pixel_id=123 or access_token=@token.txt")
        Map<String, String> settings = new LinkedHashMap<>();

        @Option(names = "--events", split = ",", paramLabel = "NAME", description = "event names to send (default: every conversion)")
        List<String> events;

        @Option(names = "--mode", description = "all (default) or attributed")
        String mode;

        @Option(names = "--model", description = "the model that decides 'attributed' (default last_touch)")
        String model;

        @Option(names = "--base-url", description = "replaces the platform's host (an egress proxy, a test fake)")
        String baseUrl;

        @Override
        void run(Store store, PrintWriter out) {
            DestinationType t = DestinationType.fromWireName(type.toLowerCase(Locale.ROOT)).orElseThrow(() ->
                    new IllegalArgumentException("type must be one of meta, google_ads, tiktok, ga4, webhook"));
            Map<String, String> values = new LinkedHashMap<>();
            settings.forEach((k, v) -> values.put(k, read(v)));
            DeliveryMode m = mode == null ? null : DeliveryMode.fromWireName(mode).orElseThrow(() ->
                    new IllegalArgumentException("mode must be all or attributed"));
            AttributionModel am = model == null ? null : AttributionModel.fromWireName(model).orElseThrow(() ->
                    new IllegalArgumentException("model must be a rule-based model such as last_touch"));
            Destinations ds = destinations(store);
            Destination d = ds.create(workspace, new DestinationInput(t, name, values, events, null, m, am, baseUrl, true));
            String generated = t == DestinationType.WEBHOOK && values.get("secret") == null ? ds.open(d).secrets().get("secret") : null;
            if (common.json) {
                Map<String, Object> view = new LinkedHashMap<>(DestinationViews.destination(d, ds.hints(d), store.destinations().stats(d.id())));
                if (generated != null) view.put("webhook_secret", generated);
                Output.json(out, view);
                return;
            }
            out.println("destination " + d.name() + " added (" + d.id() + "): " + t.wireName() + ", "
                    + (d.events() == null ? "every conversion" : String.join(", ", d.events())) + ", mode " + d.mode().wireName());
            if (generated != null) out.println("signing secret (shown once, store it safely): " + generated);
            out.flush();
        }

        private static String read(String value) {
            if (!value.startsWith("@")) return value;
            try {
                String text = value.equals("@-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                        : Files.readString(Path.of(value.substring(1)), StandardCharsets.UTF_8);
                return text.strip();
            } catch (java.nio.file.NoSuchFileException e) {
                throw new IllegalArgumentException("cannot read " + value.substring(1) + ": no such file");
            } catch (java.nio.file.AccessDeniedException e) {
                throw new IllegalArgumentException("cannot read " + value.substring(1) + ": permission denied");
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + value.substring(1) + ": " + e.getMessage());
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List a workspace's destinations with their delivery counts.")
    static final class ListAll extends DestinationStoreCommand {
        @Parameters(paramLabel = "WORKSPACE", description = "workspace id or name")
        String workspace;

        @Override
        void run(Store store, PrintWriter out) {
            Destinations ds = destinations(store);
            List<Destination> list = ds.list(workspace);
            DestinationStore s = store.destinations();
            if (common.json) {
                Output.json(out, list.stream().map(d -> DestinationViews.destination(d, ds.hints(d), s.stats(d.id()))).toList());
                return;
            }
            Output.table(out, List.of("ID", "TYPE", "NAME", "ENABLED", "SENT", "PENDING", "DEAD", "LAST ERROR"),
                    list.stream().map(d -> {
                        var st = s.stats(d.id());
                        return List.of(d.id(), d.type().wireName(), d.name(), String.valueOf(d.enabled()),
                                String.valueOf(st.count(DeliveryStatus.SENT)),
                                String.valueOf(st.count(DeliveryStatus.PENDING) + st.count(DeliveryStatus.RETRYING)),
                                String.valueOf(st.count(DeliveryStatus.DEAD)), Output.or(st.lastError()));
                    }).toList());
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true, description = "Stop sending to a destination (its outbox is kept).")
    static final class Disable extends DestinationStoreCommand {
        @Parameters(paramLabel = "DESTINATION_ID", description = "the destination's id (dst_…), as `destination list` shows it")
        String id;

        @Override
        void run(Store store, PrintWriter out) {
            Destinations ds = destinations(store);
            Destination d = ds.update(id, null, new DestinationInput(null, null, null, null, null, null, null, null, false));
            print(out, ds, store, d, "destination " + d.id() + " disabled");
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Send to a disabled destination again.")
    static final class Enable extends DestinationStoreCommand {
        @Parameters(paramLabel = "DESTINATION_ID", description = "the destination's id (dst_…), as `destination list` shows it")
        String id;

        @Override
        void run(Store store, PrintWriter out) {
            Destinations ds = destinations(store);
            Destination d = ds.update(id, null, new DestinationInput(null, null, null, null, null, null, null, null, true));
            print(out, ds, store, d, "destination " + d.id() + " enabled");
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = "Send deliveries again, with the same dedup keys: given events, every dead one, or a time range.")
    static final class Replay extends DestinationStoreCommand {
        @Parameters(paramLabel = "DESTINATION_ID", description = "the destination's id (dst_…), as `destination list` shows it")
        String id;

        @Option(names = "--event", split = ",", paramLabel = "EVENT_ID", description = "these events")
        List<String> events;

        @Option(names = "--dead", description = "every dead delivery")
        boolean dead;

        @Option(names = "--from", description = "events from this time (ISO-8601)")
        Instant from;

        @Option(names = "--to", description = "events before this time (ISO-8601; default now)")
        Instant to;

        @Override
        void run(Store store, PrintWriter out) {
            int given = (events != null ? 1 : 0) + (dead ? 1 : 0) + (from != null ? 1 : 0);
            if (given != 1) throw new IllegalArgumentException("give exactly one of --event, --dead or --from");
            Destination d = destinations(store).require(id, null);
            DestinationStore.Replay selection = events != null ? DestinationStore.Replay.events(events)
                    : dead ? DestinationStore.Replay.status(DeliveryStatus.DEAD)
                    : DestinationStore.Replay.range(from, to == null ? Instant.now() : to);
            int n = store.destinations().replay(d.id(), selection, Instant.now());
            if (common.json) {
                Output.json(out, Map.of("destination_id", d.id(), "replayed", n));
                return;
            }
            out.println(n + " deliveries of " + d.id() + " queued again");
            out.flush();
        }
    }
}
