package io.spoepolicy.policy.waf.request;

import java.io.StringReader;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Extracts what {@code XML:/*} (all text of the document) and {@code XML://@*} (each attribute
 * value) select. DTDs and external entities are off: the WAF must never fetch or expand them.
 */
final class XmlExtractor {

    static final String TEXT_KEY = "/*";
    static final String ATTRIBUTE_KEY = "//@*";

    private XmlExtractor() {}

    /** A factory per parse: StAX factories are not specified thread-safe, and XML bodies are rare. */
    private static XMLInputFactory newFactory() {
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        return f;
    }

    static void parse(String body, List<Entry> out, int limit) {
        StringBuilder text = new StringBuilder();
        try {
            XMLStreamReader r = newFactory().createXMLStreamReader(new StringReader(body));
            while (r.hasNext()) {
                int event = r.next();
                if (event == XMLStreamReader.START_ELEMENT) {
                    for (int i = 0; i < r.getAttributeCount() && out.size() < limit; i++) {
                        out.add(new Entry(ATTRIBUTE_KEY, r.getAttributeValue(i)));
                    }
                } else if (event == XMLStreamReader.CHARACTERS || event == XMLStreamReader.CDATA) {
                    text.append(r.getText());
                }
            }
        } catch (XMLStreamException | RuntimeException malformed) {
            // Inspect what was read before the error; the raw body is inspected anyway.
        }
        out.add(new Entry(TEXT_KEY, text.toString()));
    }
}
