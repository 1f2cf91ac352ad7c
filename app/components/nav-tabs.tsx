import { NavLink } from "@remix-run/react";
import { cx } from "./ui";

const tones = {
  light: { active: "bg-zinc-100 text-zinc-900", idle: "text-zinc-600 hover:text-zinc-900" },
  dark: { active: "bg-zinc-700", idle: "text-zinc-300 hover:text-white" },
};

export function NavTabs({ items, tone }: { items: { to: string; label: string; end?: boolean }[]; tone: keyof typeof tones }) {
  return (
    <nav className="flex shrink-0 gap-1">
      {items.map((item) => (
        <NavLink
          key={item.to}
          to={item.to}
          end={item.end}
          className={({ isActive }) =>
            cx("whitespace-nowrap rounded-md px-3 py-1.5 text-sm font-medium", isActive ? tones[tone].active : tones[tone].idle)
          }
        >
          {item.label}
        </NavLink>
      ))}
    </nav>
  );
}
