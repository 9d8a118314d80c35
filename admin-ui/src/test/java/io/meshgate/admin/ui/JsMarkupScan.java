package io.meshgate.admin.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds markup built outside the escaping templates in one JavaScript module: a string literal
 * holding a tag, a template literal holding a tag without the {@code html} tag function, and any
 * use of the DOM's HTML parsers ({@code innerHTML} and its relatives) where they are not allowed.
 *
 * <p>The module is read by a small lexer that knows comments, strings, template literals with
 * nested {@code ${…}} expressions, and regular expression literals (a {@code /} starts one after
 * an operator, an opening bracket, a comma or a keyword), so that a tag in a comment or a
 * {@code <} in a regular expression is not taken for markup.
 */
final class JsMarkupScan {

	/** A tag opening or closing: {@code <b}, {@code </b}, {@code <!--}, {@code <?}. */
	private static final Pattern TAG = Pattern.compile("<[A-Za-z/!?]");

	/** The DOM's ways from text to elements, allowed only where escaping happens. */
	private static final Pattern HTML_SINKS = Pattern.compile(
			"\\b(innerHTML|outerHTML|insertAdjacentHTML|createContextualFragment|srcdoc|DOMParser|setHTMLUnsafe|parseHTMLUnsafe)\\b"
					+ "|\\bdocument\\s*\\.\\s*write(ln)?\\b");

	private static final Set<String> REGEX_AFTER_WORD = Set.of("return", "typeof", "case", "do", "else", "in", "of",
			"new", "delete", "void", "throw", "instanceof", "yield", "await");

	private final String source;

	private final boolean sinksAllowed;

	private final List<String> findings = new ArrayList<>();

	private final StringBuilder code = new StringBuilder();

	private int i;

	/** What code ended with before the current position: a regular expression may follow it. */
	private boolean regexMayFollow = true;

	private String lastWord = "";

	private JsMarkupScan(String source, boolean sinksAllowed) {
		this.source = source;
		this.sinksAllowed = sinksAllowed;
	}

	/** The findings in source, each as {@code line N: what}; sinksAllowed for the module that owns escaping. */
	static List<String> scan(String source, boolean sinksAllowed) {
		JsMarkupScan scan = new JsMarkupScan(source, sinksAllowed);
		scan.code(false);
		if (!sinksAllowed) {
			var sink = HTML_SINKS.matcher(scan.code);
			while (sink.find()) {
				scan.findings.add("uses " + sink.group() + " (expected: render(element, html`…`) from modules/html.js)");
			}
		}
		return scan.findings;
	}

	/** Code up to the end, or up to the brace closing a template's ${ when inTemplate. */
	private void code(boolean inTemplate) {
		int depth = 0;
		while (i < source.length()) {
			char c = source.charAt(i);
			if (c == '/' && peek(1) == '/') {
				skipTo("\n");
			}
			else if (c == '/' && peek(1) == '*') {
				skipTo("*/");
			}
			else if (c == '\'' || c == '"') {
				string(c);
			}
			else if (c == '`') {
				template(lastWord);
			}
			else if (c == '/' && regexMayFollow) {
				regex();
			}
			else if (Character.isJavaIdentifierPart(c)) {
				int start = i;
				while (i < source.length() && Character.isJavaIdentifierPart(source.charAt(i))) {
					i++;
				}
				lastWord = source.substring(start, i);
				code.append(lastWord);
				regexMayFollow = REGEX_AFTER_WORD.contains(lastWord);
			}
			else {
				if (inTemplate && c == '}' && depth == 0) {
					i++;
					regexMayFollow = false;
					return;
				}
				depth += c == '{' ? 1 : c == '}' ? -1 : 0;
				code.append(c);
				i++;
				if (!Character.isWhitespace(c)) {
					regexMayFollow = "(,=:[!&|?{};+-*%<>~^".indexOf(c) >= 0;
					lastWord = "";
				}
			}
		}
	}

	private void string(char quote) {
		int line = line();
		StringBuilder text = new StringBuilder();
		i++;
		while (i < source.length() && source.charAt(i) != quote) {
			if (source.charAt(i) == '\\') {
				i++;
			}
			text.append(source.charAt(i));
			i++;
		}
		i++;
		if (TAG.matcher(text).find()) {
			findings.add("line " + line + ": markup in a string literal " + quote + text + quote
					+ " (expected: an html`…` template)");
		}
		if (HTML_SINKS.matcher(text).find()) {
			code.append(text);
		}
		code.append(" \"\" ");
		regexMayFollow = false;
		lastWord = "";
	}

	/** A template literal: its static parts checked, its ${…} expressions read as code. */
	private void template(String tag) {
		int line = line();
		StringBuilder text = new StringBuilder();
		i++;
		while (i < source.length() && source.charAt(i) != '`') {
			char c = source.charAt(i);
			if (c == '\\') {
				text.append(source.charAt(i + 1));
				i += 2;
			}
			else if (c == '$' && peek(1) == '{') {
				i += 2;
				text.append("${}");
				regexMayFollow = true;
				lastWord = "";
				code(true);
			}
			else {
				text.append(c);
				i++;
			}
		}
		i++;
		if (!"html".equals(tag) && TAG.matcher(text).find()) {
			findings.add("line " + line + ": markup in a template literal without the html tag `" + text
					+ "` (expected: html`…`)");
		}
		code.append(" `` ");
		regexMayFollow = false;
		lastWord = "";
	}

	private void regex() {
		boolean inClass = false;
		i++;
		while (i < source.length()) {
			char c = source.charAt(i);
			if (c == '\\') {
				i++;
			}
			else if (c == '[') {
				inClass = true;
			}
			else if (c == ']') {
				inClass = false;
			}
			else if (c == '/' && !inClass) {
				break;
			}
			i++;
		}
		i++;
		code.append(" /re/ ");
		regexMayFollow = false;
		lastWord = "";
	}

	private void skipTo(String end) {
		int found = source.indexOf(end, i + 2);
		i = found < 0 ? source.length() : found + end.length();
	}

	private char peek(int ahead) {
		return i + ahead < source.length() ? source.charAt(i + ahead) : 0;
	}

	private int line() {
		return (int) source.substring(0, i).chars().filter(c -> c == '\n').count() + 1;
	}

}
