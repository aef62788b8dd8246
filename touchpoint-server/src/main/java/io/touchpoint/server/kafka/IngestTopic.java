package io.touchpoint.server.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The ingest topic, created at start when it does not exist: the configured partitions and replicas, and
 * {@code min.insync.replicas} one less than the replicas (at least 1), so that {@code acks=all} means "on every replica
 * but one" and one broker down stops nothing. An existing topic is left as its operator made it.
 */
public final class IngestTopic {
    private IngestTopic() {
    }

    public static void ensure(KafkaSettings s) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000))) {
            if (admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(s.topic())) return;
            NewTopic topic = new NewTopic(s.topic(), s.partitions(), s.replicationFactor())
                    .configs(Map.of("min.insync.replicas", Integer.toString(Math.max(1, s.replicationFactor() - 1))));
            admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) { // another node created it a moment ago
                throw new IllegalStateException("cannot create the ingest topic " + s.topic() + ": " + e.getCause().getMessage(), e);
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("no Kafka broker answered at " + s.bootstrapServers() + " within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the ingest topic", e);
        }
    }
}
