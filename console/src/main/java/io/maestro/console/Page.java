package io.maestro.console;

import io.maestro.console.session.ConsoleSession;
import io.quarkus.qute.TemplateData;

import java.util.ArrayList;
import java.util.List;

/**
 * What every page's frame shows: its title, who is signed in, the sections the token may see, the CSRF secret
 * its forms and htmx requests carry, and banners (a service that cannot be reached, a scope that is missing).
 */
@TemplateData
public final class Page {
    /** The console's sections, in the order of the navigation, with the scope that lets a token see each. */
    public record Section(String name, String path, String scope, boolean active) {
    }

    private final String title;
    private final String subject;
    private final String csrf;
    private final List<Section> sections;
    private final List<String> banners = new ArrayList<>();
    private final java.util.function.Predicate<String> allowed;

    private Page(String title, String subject, String csrf, List<Section> sections, java.util.function.Predicate<String> allowed) {
        this.title = title;
        this.subject = subject;
        this.csrf = csrf;
        this.sections = sections;
        this.allowed = allowed;
    }

    /** A page of the signed-in {@code session}; {@code active} is the section it belongs to. */
    public static Page of(ConsoleSession session, String title, String active) {
        List<Section> sections = new ArrayList<>();
        sections.add(new Section("Overview", "/", null, "Overview".equals(active)));
        if (session.may("registry:read")) {
            sections.add(new Section("Registry", "/registry", "registry:read", "Registry".equals(active)));
        }
        if (session.may("election:read")) {
            sections.add(new Section("Election", "/election", "election:read", "Election".equals(active)));
        }
        if (session.may("inventory:read")) {
            sections.add(new Section("Inventory", "/inventory", "inventory:read", "Inventory".equals(active)));
        }
        if (session.may("provisioner:read")) {
            sections.add(new Section("Provisioner", "/provisioner", "provisioner:read", "Provisioner".equals(active)));
        }
        return new Page(title, session.subject(), session.csrf(), List.copyOf(sections), session::may);
    }

    /** The sign-in page: nobody signed in yet. */
    public static Page signIn(ConsoleSession session) {
        return new Page("Sign in", null, session.csrf(), List.of(), scope -> false);
    }

    /** Adds a banner (shown above the page's content); returns this page. */
    public Page banner(String text) {
        banners.add(text);
        return this;
    }

    /** Whether the signed-in token holds {@code scope} in some form: what a page offers (the service still decides). */
    public boolean may(String scope) {
        return allowed.test(scope);
    }

    public String title() {
        return title;
    }

    public String subject() {
        return subject;
    }

    public String csrf() {
        return csrf;
    }

    public List<Section> sections() {
        return sections;
    }

    public List<String> banners() {
        return banners;
    }
}
