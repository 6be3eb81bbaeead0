package io.spoepolicy.policy.waf.seclang;

import io.spoepolicy.policy.waf.SkippedRule;
import io.spoepolicy.policy.waf.operator.Operator;
import io.spoepolicy.policy.waf.operator.OperatorFactory;
import io.spoepolicy.policy.waf.rules.Ctl;
import io.spoepolicy.policy.waf.rules.Disruptive;
import io.spoepolicy.policy.waf.rules.Macro;
import io.spoepolicy.policy.waf.rules.Rule;
import io.spoepolicy.policy.waf.rules.RuleActions;
import io.spoepolicy.policy.waf.rules.RuleSet;
import io.spoepolicy.policy.waf.rules.SetVar;
import io.spoepolicy.policy.waf.rules.Severity;
import io.spoepolicy.policy.waf.rules.Target;
import io.spoepolicy.policy.waf.rules.UnsupportedConstructException;
import io.spoepolicy.policy.waf.transform.TransformChain;
import io.spoepolicy.policy.waf.transform.TransformChainRegistry;
import io.spoepolicy.policy.waf.transform.Transformation;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Compiles the request-phase subset of SecLang into a {@link RuleSet}. Rules using anything
 * unsupported are skipped as a whole (with their chain) and reported by id; actions that have no
 * effect in an SPOE agent (audit logging, persistent collections) are ignored and reported as
 * degraded. Load-time only, not thread-safe.
 */
public final class SecLangCompiler {

    /** Actions accepted without effect: metadata and logging details. */
    private static final Set<String> METADATA = Set.of("ver", "rev", "maturity", "accuracy",
            "logdata", "auditlog", "noauditlog", "status", "sanitisematched", "sanitizematched",
            "sanitiseArg", "sanitisearg");
    /** Actions that need state this agent does not keep; ignored, rule kept, reported. */
    private static final Set<String> IGNORED_WITH_REPORT = Set.of("initcol", "expirevar", "setuid",
            "setsid", "setenv", "exec", "deprecatevar", "append", "prepend");
    private static final Set<String> NO_OP_CTLS = Set.of("forcerequestbodyvariable", "auditengine",
            "auditlogparts", "requestbodyaccess", "requestbodylimit", "responsebodyaccess",
            "debugloglevel", "hashengine", "hashenforcement", "parsexmlintoargs");

    private final OperatorFactory operators;
    private final TransformChainRegistry chains = new TransformChainRegistry();
    private final RuleSet.Builder rules = new RuleSet.Builder();
    private final List<SkippedRule> skipped = new ArrayList<>();
    private final List<SkippedRule> degraded = new ArrayList<>();
    private final Disruptive[] defaultDisruptive = {Disruptive.PASS, Disruptive.PASS, Disruptive.PASS,
        Disruptive.PASS, Disruptive.PASS, Disruptive.PASS};
    private final boolean[] defaultLog = {true, true, true, true, true, true};

    private final List<LinkSpec> pendingChain = new ArrayList<>();
    private boolean chainOpen;
    private String pendingError;
    private long pendingId;
    private String pendingSource;

    private record LinkSpec(long id, int phase, String source, TargetParser.Targets targets,
            Operator operator, boolean negated, TransformChain transforms, RuleActions actions,
            boolean chain, boolean disruptiveSet) {}

    public SecLangCompiler(OperatorFactory operators) {
        this.operators = operators;
    }

    public void compile(List<Directive> directives) {
        for (Directive d : directives) {
            try {
                directive(d);
            } catch (UnsupportedConstructException e) {
                skipped.add(new SkippedRule(0, d.source(), d.name() + ": " + e.getMessage()));
            }
        }
    }

    public RuleSet build() {
        return rules.build();
    }

    public List<SkippedRule> skipped() {
        return skipped;
    }

    public List<SkippedRule> degraded() {
        return degraded;
    }

    private void directive(Directive d) throws UnsupportedConstructException {
        String name = d.name().toLowerCase(Locale.ROOT);
        switch (name) {
            case "secrule" -> {
                if (d.args().size() < 2) {
                    throw new UnsupportedConstructException("SecRule needs variables and an operator");
                }
                rule(d, d.arg(0), d.arg(1), d.arg(2));
            }
            case "secaction" -> rule(d, null, null, d.arg(0));
            case "secmarker" -> rules.marker(d.arg(0));
            case "secdefaultaction" -> defaultAction(d.arg(0));
            case "secruleremovebyid" -> {
                for (String arg : d.args()) {
                    for (long[] r : new Ctl(Ctl.Kind.RULE_REMOVE_BY_ID, arg, null).idRanges()) {
                        rules.removeIf(rule -> rule.id() >= r[0] && rule.id() <= r[1]);
                    }
                }
            }
            case "secruleremovebytag" -> {
                String tag = d.arg(0);
                rules.removeIf(rule -> rule.actions().tags().contains(tag));
            }
            case "secruleupdatetargetbyid" -> updateTargets(d, d.arg(0), false);
            case "secruleupdatetargetbytag" -> updateTargets(d, d.arg(0), true);
            case "seccomponentsignature" -> { }
            default -> degraded.add(new SkippedRule(0, d.source(), "directive " + d.name() + " ignored"));
        }
    }

    private void defaultAction(String text) {
        int phase = 2;
        Disruptive disruptive = null;
        boolean log = true;
        for (ActionParser.RawAction a : ActionParser.parse(text)) {
            switch (a.name().toLowerCase(Locale.ROOT)) {
                case "phase" -> phase = phase(a.value());
                case "deny", "drop" -> disruptive = Disruptive.DENY;
                case "pass" -> disruptive = Disruptive.PASS;
                case "nolog" -> log = false;
                case "log" -> log = true;
                default -> { }
            }
        }
        if (phase >= 1 && phase <= 5) {
            if (disruptive != null) {
                defaultDisruptive[phase] = disruptive;
            }
            defaultLog[phase] = log;
        }
    }

    private void updateTargets(Directive d, String selector, boolean byTag) throws UnsupportedConstructException {
        TargetParser.Targets t = TargetParser.parse(d.arg(1));
        boolean found;
        if (byTag) {
            found = false;
            for (Rule r : rules.rules()) {
                if (r.actions().tags().contains(selector)) {
                    found |= rules.update(r.id(), rr -> rr.withExclusions(t.exclusions()).withTargets(t.targets()));
                }
            }
        } else {
            long id = Long.parseLong(selector.trim());
            found = rules.update(id, r -> r.withExclusions(t.exclusions()).withTargets(t.targets()));
        }
        if (!found) {
            degraded.add(new SkippedRule(0, d.source(), d.name() + " " + selector + ": no such rule"));
        }
    }

    private void rule(Directive d, String variables, String operatorText, String actionText) {
        List<ActionParser.RawAction> actions = ActionParser.parse(actionText);
        boolean isLink = chainOpen;
        if (!isLink) {
            pendingId = idOf(actions);
            pendingSource = d.source();
        }
        try {
            LinkSpec spec = link(d, variables, operatorText, actions, isLink);
            if (pendingError == null) {
                pendingChain.add(spec);
            }
        } catch (UnsupportedConstructException | RuntimeException e) {
            if (pendingError == null) {
                pendingError = e.getMessage();
            }
        }
        chainOpen = actions.stream().anyMatch(a -> a.name().equalsIgnoreCase("chain"));
        if (!chainOpen) {
            if (pendingError != null) {
                skipped.add(new SkippedRule(pendingId, pendingSource, pendingError));
            } else {
                finishChain();
            }
            pendingChain.clear();
            pendingError = null;
        }
    }

    private void finishChain() {
        LinkSpec starter = pendingChain.get(0);
        if (starter.phase() > 2) {
            skipped.add(new SkippedRule(starter.id(), starter.source(), "response phase " + starter.phase()));
            return;
        }
        Rule next = null;
        for (int k = pendingChain.size() - 1; k >= 0; k--) {
            LinkSpec s = pendingChain.get(k);
            List<Target> targets = s.targets() == null ? List.of() : s.targets().targets();
            List<Target> exclusions = s.targets() == null ? List.of() : s.targets().exclusions();
            next = new Rule(k == 0 ? s.id() : 0, starter.phase(), s.source(), targets, exclusions,
                    s.transforms(), s.operator(), s.negated(), s.actions(), next);
        }
        rules.add(next);
    }

    private static long idOf(List<ActionParser.RawAction> actions) {
        for (ActionParser.RawAction a : actions) {
            if (a.name().equalsIgnoreCase("id") && a.value() != null) {
                try {
                    return Long.parseLong(a.value().trim());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    private LinkSpec link(Directive d, String variables, String operatorText,
            List<ActionParser.RawAction> actions, boolean isLink) throws UnsupportedConstructException {
        TargetParser.Targets targets = variables == null ? null : TargetParser.parse(variables);
        Operator operator = null;
        boolean negated = false;
        if (operatorText != null) {
            String op = operatorText.strip();
            if (op.startsWith("!")) {
                negated = true;
                op = op.substring(1).strip();
            }
            String opName;
            String param;
            if (op.startsWith("@")) {
                int sp = 1;
                while (sp < op.length() && !Character.isWhitespace(op.charAt(sp))) {
                    sp++;
                }
                opName = op.substring(1, sp);
                param = sp < op.length() ? op.substring(sp).stripLeading() : "";
            } else {
                opName = "rx";
                param = operatorText.startsWith("!") ? operatorText.substring(1) : operatorText;
            }
            operator = operators.create(opName, param);
        }

        long id = 0;
        int phase = 2;
        Disruptive disruptive = null;
        Severity severity = null;
        Set<String> tags = new LinkedHashSet<>();
        Macro msg = null;
        Boolean log = null;
        boolean capture = false;
        boolean multiMatch = false;
        boolean chain = false;
        List<SetVar> setVars = new ArrayList<>();
        List<Ctl> ctls = new ArrayList<>();
        String skipAfter = null;
        List<Transformation> transforms = new ArrayList<>();
        for (ActionParser.RawAction a : actions) {
            String name = a.name().toLowerCase(Locale.ROOT);
            String value = a.value();
            switch (name) {
                case "id" -> id = Long.parseLong(value.trim());
                case "phase" -> phase = phase(value);
                case "block" -> disruptive = Disruptive.BLOCK;
                case "deny", "drop", "redirect" -> disruptive = Disruptive.DENY;
                case "pass" -> disruptive = Disruptive.PASS;
                case "allow" -> disruptive = Disruptive.ALLOW;
                case "severity" -> severity = Severity.parse(value);
                case "tag" -> tags.add(value);
                case "msg" -> msg = Macro.parse(value);
                case "log" -> log = true;
                case "nolog" -> log = false;
                case "capture" -> capture = true;
                case "multimatch" -> multiMatch = true;
                case "chain" -> chain = true;
                case "skipafter" -> skipAfter = value;
                case "setvar" -> setVars.add(setVar(value));
                case "ctl" -> ctls.add(ctl(value));
                case "t" -> {
                    if (value.equalsIgnoreCase("none")) {
                        transforms.clear();
                    } else {
                        Transformation t = Transformation.byName(value);
                        if (t == null) {
                            throw new UnsupportedConstructException("transformation t:" + value);
                        }
                        transforms.add(t);
                    }
                }
                case "skip" -> throw new UnsupportedConstructException("action skip");
                default -> {
                    if (IGNORED_WITH_REPORT.contains(name)) {
                        degraded.add(new SkippedRule(isLink ? pendingId : id, d.source(), "action " + name + " ignored"));
                    } else if (!METADATA.contains(name)) {
                        throw new UnsupportedConstructException("action " + a.name());
                    }
                }
            }
        }
        if (!isLink && id == 0) {
            throw new UnsupportedConstructException("rule without id");
        }
        boolean disruptiveSet = disruptive != null;
        if (!isLink) {
            if (disruptive == null || disruptive == Disruptive.BLOCK) {
                disruptive = defaultDisruptive[Math.min(Math.max(phase, 1), 5)];
            }
            if (log == null) {
                log = defaultLog[Math.min(Math.max(phase, 1), 5)];
            }
        } else {
            disruptive = null;
            log = Boolean.TRUE.equals(log);
        }
        RuleActions ra = new RuleActions(disruptive, severity, tags, msg, log, capture, multiMatch,
                setVars, ctls, skipAfter);
        return new LinkSpec(id, phase, d.source(), targets, operator, negated, chains.intern(transforms),
                ra, chain, disruptiveSet);
    }

    private static int phase(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "request" -> 2;
            case "response" -> 4;
            case "logging" -> 5;
            default -> Integer.parseInt(v);
        };
    }

    static SetVar setVar(String text) throws UnsupportedConstructException {
        String t = text.strip();
        if (t.startsWith("!")) {
            return new SetVar(checkTx(t.substring(1)), SetVar.Op.DELETE, Macro.parse(""));
        }
        int eq = t.indexOf('=');
        if (eq < 0) {
            return new SetVar(checkTx(t), SetVar.Op.SET, Macro.parse("1"));
        }
        Macro name = checkTx(t.substring(0, eq));
        String value = t.substring(eq + 1);
        if (value.startsWith("+")) {
            return new SetVar(name, SetVar.Op.ADD, Macro.parse(value.substring(1)));
        }
        if (value.startsWith("-")) {
            return new SetVar(name, SetVar.Op.SUBTRACT, Macro.parse(value.substring(1)));
        }
        return new SetVar(name, SetVar.Op.SET, Macro.parse(value));
    }

    private static Macro checkTx(String name) throws UnsupportedConstructException {
        String n = name.strip();
        if (!n.regionMatches(true, 0, "tx.", 0, 3)) {
            throw new UnsupportedConstructException("setvar on collection other than TX: " + n);
        }
        return Macro.parse(n);
    }

    static Ctl ctl(String text) throws UnsupportedConstructException {
        int eq = text.indexOf('=');
        if (eq < 0) {
            throw new UnsupportedConstructException("ctl without value: " + text);
        }
        String name = text.substring(0, eq).strip().toLowerCase(Locale.ROOT);
        String value = text.substring(eq + 1).strip();
        switch (name) {
            case "ruleremovebyid":
                return new Ctl(Ctl.Kind.RULE_REMOVE_BY_ID, value, null);
            case "ruleremovebytag":
                return new Ctl(Ctl.Kind.RULE_REMOVE_BY_TAG, value, null);
            case "ruleremovetargetbyid":
            case "ruleremovetargetbytag": {
                int semi = value.indexOf(';');
                if (semi < 0) {
                    throw new UnsupportedConstructException("ctl:" + name + " without target");
                }
                Target target = TargetParser.single(value.substring(semi + 1).strip(), false);
                return new Ctl(name.endsWith("byid") ? Ctl.Kind.RULE_REMOVE_TARGET_BY_ID
                        : Ctl.Kind.RULE_REMOVE_TARGET_BY_TAG, value.substring(0, semi).strip(), target);
            }
            case "requestbodyprocessor":
                return new Ctl(Ctl.Kind.REQUEST_BODY_PROCESSOR, value, null);
            case "ruleengine":
                return new Ctl(Ctl.Kind.RULE_ENGINE, value, null);
            default:
                if (NO_OP_CTLS.contains(name)) {
                    return new Ctl(Ctl.Kind.NO_OP, value, null);
                }
                throw new UnsupportedConstructException("ctl:" + name);
        }
    }
}
