package io.wakeline.broker.gateway.http;

import static akka.http.javadsl.server.Directives.extractUnmatchedPath;
import static akka.http.javadsl.server.Directives.pathPrefix;
import static akka.http.javadsl.server.Directives.reject;

import akka.http.javadsl.server.Route;
import java.util.List;
import java.util.function.Function;

/**
 * The resources under one path segment whose names are sealed tokens ({@code /w/<token>}, {@code /wp/m/<token>},
 * {@code /cc/<token>/messages/<id>}): the route sees the segments after the first, and answers every path under it
 * itself (a 404 of its own for a malformed one), while a path that only starts with the same letters
 * ({@code /wfoo}) is left to the other routes.
 */
public final class ResourcePath {
    private ResourcePath() {
    }

    /**
     * @param inner given the segments after {@code /<segment>}: none for {@code /<segment>} itself, {@code [""]} for
     *              {@code /<segment>/}, {@code ["a", "b"]} for {@code /<segment>/a/b}
     */
    public static Route below(String segment, Function<List<String>, Route> inner) {
        return pathPrefix(segment, () -> extractUnmatchedPath(rest -> {
            if (rest.isEmpty()) {
                return inner.apply(List.of());
            }
            if (!rest.startsWith("/")) {
                return reject();
            }
            return inner.apply(List.of(rest.substring(1).split("/", -1)));
        }));
    }
}
