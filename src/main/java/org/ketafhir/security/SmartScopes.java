package org.ketafhir.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SMART App Launch clinical scopes a token carries, parsed into grants. Both syntaxes are understood:
 * v2 ({@code patient/Observation.rs}, {@code user/*.cruds}, letters in the order c, r, u, d, s) and v1
 * ({@code patient/*.read}, {@code user/Observation.write}, {@code system/*.*}). Scopes that are not clinical
 * (openid, fhirUser, launch, offline_access...) and malformed ones grant nothing; so do v2 scopes narrowed by a
 * query ({@code patient/Observation.rs?category=...}), which the server cannot enforce: refusing is the safe side.
 */
public record SmartScopes(List<Grant> grants) {

    /** Whose data a scope is about: the launch patient's, what the user may see, or everything (backend). */
    public enum Context { PATIENT, USER, SYSTEM }

    /** The SMART v2 permissions; v1 "read" is read + search, "write" is create + update + delete. */
    public enum Permission { CREATE, READ, UPDATE, DELETE, SEARCH }

    /** One clinical scope: a context, a resource type ("*" for all) and what it permits. */
    public record Grant(Context context, String resourceType, Set<Permission> permissions) {

        public boolean covers(String type) {
            return "*".equals(resourceType) || resourceType.equals(type);
        }
    }

    private static final Pattern CLINICAL = Pattern.compile("(patient|user|system)/(\\*|[A-Z][A-Za-z]{1,63})\\.([a-z*]+)");
    private static final Pattern V2_LETTERS = Pattern.compile("c?r?u?d?s?");

    public SmartScopes {
        grants = List.copyOf(grants);
    }

    /** Parses a space-separated {@code scope} claim (RFC 8693 / SMART). */
    public static SmartScopes parse(String scopeClaim) {
        return parse(scopeClaim == null ? List.of() : List.of(scopeClaim.trim().split("\\s+")));
    }

    /** Parses a list of scopes (the {@code scp} claim form some servers use). */
    public static SmartScopes parse(Collection<String> scopes) {
        List<Grant> grants = new ArrayList<>();
        for (String scope : scopes) {
            Matcher matcher = CLINICAL.matcher(scope);
            if (!matcher.matches()) {
                continue;
            }
            Set<Permission> permissions = permissions(matcher.group(3));
            if (!permissions.isEmpty()) {
                Context context = Context.valueOf(matcher.group(1).toUpperCase(java.util.Locale.ROOT));
                grants.add(new Grant(context, matcher.group(2), permissions));
            }
        }
        return new SmartScopes(grants);
    }

    /** Whether any grant in one of the contexts permits {@code permission} on {@code resourceType}. */
    public boolean permits(String resourceType, Permission permission, Set<Context> contexts) {
        return grants.stream().anyMatch(grant -> contexts.contains(grant.context())
                && grant.covers(resourceType) && grant.permissions().contains(permission));
    }

    /** Whether a grant in one of the contexts covers every resource type with {@code permission}. */
    public boolean permitsAllTypes(Permission permission, Set<Context> contexts) {
        return grants.stream().anyMatch(grant -> contexts.contains(grant.context())
                && "*".equals(grant.resourceType()) && grant.permissions().contains(permission));
    }

    public boolean isEmpty() {
        return grants.isEmpty();
    }

    private static Set<Permission> permissions(String text) {
        switch (text) {
            case "read":
                return EnumSet.of(Permission.READ, Permission.SEARCH);
            case "write":
                return EnumSet.of(Permission.CREATE, Permission.UPDATE, Permission.DELETE);
            case "*":
                return EnumSet.allOf(Permission.class);
            default:
                break;
        }
        if (text.isEmpty() || !V2_LETTERS.matcher(text).matches()) {
            return EnumSet.noneOf(Permission.class);
        }
        Set<Permission> permissions = EnumSet.noneOf(Permission.class);
        for (char letter : text.toCharArray()) {
            permissions.add(switch (letter) {
                case 'c' -> Permission.CREATE;
                case 'r' -> Permission.READ;
                case 'u' -> Permission.UPDATE;
                case 'd' -> Permission.DELETE;
                default -> Permission.SEARCH;
            });
        }
        return permissions;
    }
}
