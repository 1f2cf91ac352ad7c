import ReactMarkdown from "react-markdown";

/** Merchant Markdown as React elements: raw HTML is dropped and unsafe link schemes are removed. */
export function Markdown({ children }: { children: string }) {
  return (
    <div className="space-y-3 text-sm leading-6 text-zinc-800 [&_a]:text-indigo-600 [&_a]:underline [&_h1]:text-lg [&_h1]:font-semibold [&_h2]:font-semibold [&_ol]:list-decimal [&_ol]:pl-5 [&_ul]:list-disc [&_ul]:pl-5">
      <ReactMarkdown skipHtml>{children}</ReactMarkdown>
    </div>
  );
}
