package jp.kairan.server.mail;

import jp.kairan.server.config.MailConfig;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.UnsupportedEncodingException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends plain-text mail (sign-in codes) over SMTP with Jakarta Mail. Each send runs on this
 * sender's own small thread pool with a bounded queue, never on the caller's thread: when the queue
 * is full the returned future fails at once with {@link RejectedExecutionException}. Subject and
 * body are UTF-8; {@code Date} and {@code Message-ID} (at the sender's domain) are set.
 *
 * <p>Bodies carry codes, so they are never logged; the log names the recipient's domain and the
 * outcome only. Thread-safe; one per server, closed at shutdown.
 */
public final class MailSender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MailSender.class);
    private static final int THREADS = 2;
    private static final int QUEUE_CAPACITY = 100;
    private static final String UTF_8 = "UTF-8";

    private final MailConfig config;
    private final Clock clock;
    private final Session session;
    private final InternetAddress from;
    private final ThreadPoolExecutor executor;

    /**
     * A sender for {@code config}, which may be {@link MailConfig#disabled()}; {@code clock} dates the mail.
     *
     * @throws IllegalArgumentException if the from address or name cannot be put in a mail header
     */
    public MailSender(MailConfig config, Clock clock) {
        this(config, clock, THREADS, QUEUE_CAPACITY);
    }

    MailSender(MailConfig config, Clock clock, int threads, int queueCapacity) {
        this.config = config;
        this.clock = clock;
        this.from = config.enabled() ? sender(config) : null;
        this.session = Session.getInstance(properties(config, from));
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queueCapacity), r -> {
            Thread t = new Thread(r, "kairan-mail-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.executor.allowCoreThreadTimeOut(true);
        if (config.enabled() && config.security() == MailConfig.Security.NONE && config.username().isPresent()) {
            log.warn("SMTP credentials for {}:{} will cross the network unencrypted (mail.security=none)", config.host(), config.port());
        }
    }

    /**
     * Queues one plain-text mail.
     *
     * @param to       a single recipient address
     * @param subject  one line of text (no CR or LF)
     * @param textBody the body; never logged
     * @return completes when the SMTP server has accepted the mail; fails with
     *         {@link MailNotConfiguredException} if mail is disabled, {@link RejectedExecutionException}
     *         if the queue is full or the sender closed, {@link MailSendException} if sending failed
     *         or the address is invalid, and {@link IllegalArgumentException} for a multi-line subject
     */
    public CompletableFuture<Void> send(String to, String subject, String textBody) {
        if (!config.enabled()) {
            return CompletableFuture.failedFuture(new MailNotConfiguredException());
        }
        if (subject.indexOf('\r') >= 0 || subject.indexOf('\n') >= 0) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("Mail subject must be one line"));
        }
        InternetAddress recipient;
        try {
            recipient = new InternetAddress(to, true);
        } catch (AddressException e) {
            return CompletableFuture.failedFuture(new MailSendException("Invalid recipient address at domain " + domainOf(to), null));
        }
        String domain = domainOf(recipient.getAddress());
        Delivery delivery = new Delivery(recipient, domain, subject, textBody);
        try {
            executor.execute(delivery);
        } catch (RejectedExecutionException e) {
            log.warn("Mail to domain {} rejected: {}", domain,
                    executor.isShutdown() ? "sender closed" : "queue full (" + executor.getQueue().size() + " queued)");
            delivery.result.completeExceptionally(e);
        }
        return delivery.result;
    }

    /** One queued mail and its future. */
    private final class Delivery implements Runnable {
        final InternetAddress recipient;
        final String domain;
        final String subject;
        final String body;
        final CompletableFuture<Void> result = new CompletableFuture<>();

        Delivery(InternetAddress recipient, String domain, String subject, String body) {
            this.recipient = recipient;
            this.domain = domain;
            this.subject = subject;
            this.body = body;
        }

        @Override
        public void run() {
            long start = System.nanoTime();
            try {
                MimeMessage message = new MimeMessage(session);
                message.setFrom(from);
                message.setRecipient(Message.RecipientType.TO, recipient);
                message.setSubject(subject, UTF_8);
                message.setText(body, UTF_8);
                message.setSentDate(Date.from(clock.instant()));
                if (config.username().isPresent()) {
                    Transport.send(message, config.username().get(), config.password().orElse(""));
                } else {
                    Transport.send(message);
                }
                log.info("Mail to domain {} sent in {} ms", domain, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                result.complete(null);
            } catch (MessagingException | RuntimeException e) {
                String reason = describe(e, recipient.getAddress(), domain);
                log.warn("Mail to domain {} failed after {} ms via {}:{}: {}", domain,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), config.host(), config.port(), reason);
                result.completeExceptionally(new MailSendException("Mail to domain " + domain + " failed: " + reason, e));
            }
        }
    }

    /**
     * Stops accepting mail, waits a bounded time for queued mail to go out, then abandons the rest;
     * their futures fail with {@link RejectedExecutionException}.
     */
    @Override
    public void close() {
        executor.shutdown();
        Duration grace = config.connectTimeout().plus(config.readTimeout().multipliedBy(2));
        try {
            if (!executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                abandon(grace);
            }
        } catch (InterruptedException e) {
            abandon(grace);
            Thread.currentThread().interrupt();
        }
    }

    private void abandon(Duration grace) {
        List<Runnable> unsent = executor.shutdownNow();
        for (Runnable r : unsent) {
            ((Delivery) r).result.completeExceptionally(new RejectedExecutionException("Mail sender closed before sending"));
        }
        log.warn("Mail sender closed with {} mails unsent after waiting {}", unsent.size(), grace);
    }

    private static Properties properties(MailConfig config, InternetAddress from) {
        Properties p = new Properties();
        p.setProperty("mail.transport.protocol", "smtp");
        p.setProperty("mail.smtp.host", config.host());
        p.setProperty("mail.smtp.port", Integer.toString(config.port()));
        p.setProperty("mail.smtp.connectiontimeout", Long.toString(config.connectTimeout().toMillis()));
        p.setProperty("mail.smtp.timeout", Long.toString(config.readTimeout().toMillis()));
        p.setProperty("mail.smtp.writetimeout", Long.toString(config.readTimeout().toMillis()));
        p.setProperty("mail.smtp.auth", Boolean.toString(config.username().isPresent()));
        // mail.from sets the envelope sender and the domain of the generated Message-ID.
        if (from != null) {
            p.setProperty("mail.from", from.getAddress());
        }
        switch (config.security()) {
            case STARTTLS -> {
                p.setProperty("mail.smtp.starttls.enable", "true");
                p.setProperty("mail.smtp.starttls.required", "true");
                p.setProperty("mail.smtp.ssl.checkserveridentity", "true");
            }
            case TLS -> {
                p.setProperty("mail.smtp.ssl.enable", "true");
                p.setProperty("mail.smtp.ssl.checkserveridentity", "true");
            }
            case NONE -> { }
        }
        return p;
    }

    private static InternetAddress sender(MailConfig config) {
        try {
            InternetAddress address = new InternetAddress(config.fromAddress(), true);
            if (config.fromName().isPresent()) {
                address.setPersonal(config.fromName().get(), UTF_8);
            }
            return address;
        } catch (AddressException | UnsupportedEncodingException e) {
            throw new IllegalArgumentException("Mail from address is invalid: \"" + config.fromAddress() + "\"", e);
        }
    }

    /** The part after the last {@code @}, which is all of an address that we log. */
    static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        String domain = at < 0 ? "" : address.substring(at + 1).trim();
        return domain.isEmpty() || domain.length() > 255 ? "<none>" : domain.replaceAll("[^A-Za-z0-9.\\-\\[\\]:]", "?");
    }

    /** The exception chain as one line, with the full recipient address replaced by its domain. */
    private static String describe(Throwable e, String address, String domain) {
        StringBuilder s = new StringBuilder();
        for (Throwable t = e; t != null && s.length() < 500; t = t.getCause()) {
            if (s.length() > 0) {
                s.append(" <- ");
            }
            s.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                s.append(": ").append(t.getMessage().replace(address, "…@" + domain).replaceAll("\\s+", " ").trim());
            }
        }
        return s.toString();
    }
}
