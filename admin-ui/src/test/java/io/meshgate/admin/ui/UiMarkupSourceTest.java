package io.meshgate.admin.ui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin UI's modules build markup only with the escaping html`` templates of
 * {@code modules/html.js}: no module but html.js hands text to the DOM's HTML parser, and no
 * string or untagged template holds a tag. So a value from the configuration, the API or the
 * user reaches the page escaped, whoever writes the next page.
 */
class UiMarkupSourceTest {

	private static final Path UI = Path.of("src/main/resources/META-INF/meshgate-admin");

	private static final Path HTML_MODULE = UI.resolve("modules/html.js");

	@Test
	void everyModuleBuildsMarkupWithHtmlTemplatesOnly() throws IOException {
		List<String> findings = new ArrayList<>();
		List<Path> modules;
		try (Stream<Path> files = Files.walk(UI)) {
			modules = files.filter(f -> f.toString().endsWith(".js")).sorted().toList();
		}
		for (Path module : modules) {
			JsMarkupScan.scan(Files.readString(module), module.equals(HTML_MODULE))
				.forEach(finding -> findings.add(UI.relativize(module) + " " + finding));
		}

		assertThat(findings).isEmpty();
		assertThat(modules).contains(UI.resolve("app.js"), HTML_MODULE, UI.resolve("modules/pages/routes.js"));
	}

	@Test
	void thePageLoadsTheEntryAsAModuleAndNoInlineScript() throws IOException {
		String index = Files.readString(UI.resolve("index.html"));

		assertThat(index).contains("<script type=\"module\" src=\"/ui/app.js\"></script>");
		assertThat(index.split("<script", -1)).hasSize(2);
		assertThat(index).doesNotContainPattern("\\son[a-z]+=");
	}

	@Test
	void theScanFindsMarkupBuiltFromStrings() {
		assertThat(JsMarkupScan.scan("el.innerHTML = '<b>' + name + '</b>';", false)).hasSize(3);
		assertThat(JsMarkupScan.scan("list.insertAdjacentHTML('beforeend', row);", false)).hasSize(1);
		assertThat(JsMarkupScan.scan("el['inner' + 'HTML'] = x; el['innerHTML'] = x;", false)).hasSize(1);
		assertThat(JsMarkupScan.scan("const row = `<tr><td>${name}</td></tr>`;", false)).hasSize(1);
		assertThat(JsMarkupScan.scan("const row = \"<img src=x>\";", false)).hasSize(1);
		assertThat(JsMarkupScan.scan("html`<ul>${items.map((i) => `<li>${i}</li>`)}</ul>`", false)).hasSize(1);
		assertThat(JsMarkupScan.scan("document.write(x);", false)).hasSize(1);
		assertThat(JsMarkupScan.scan("element.innerHTML = markup.text;", true)).isEmpty();
	}

	@Test
	void theScanLeavesTemplatesCommentsAndRegularExpressionsAlone() {
		assertThat(JsMarkupScan.scan("""
				// a comment may show <b>markup</b> and name innerHTML
				/* so may <i>this</i> one */
				const a = html`<ul>${items.map((i) => html`<li title="${i.name}">${i}</li>`)}</ul>`;
				const b = html`<p>${x > 1 ? html`<b>${'a < b'}</b>` : ''}</p>`;
				const escaped = (v) => String(v).replace(/[&<>"'`]/g, (c) => ESCAPES[c]);
				const test = /^<[a-z]+>$/.test(s) ? '<1' : 'a < b';
				const ratio = (x) / 2 + y / 3;
				""", false)).isEmpty();
	}

}
