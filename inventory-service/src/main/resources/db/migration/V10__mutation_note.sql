-- Why a change was made, as the request said (?note=, issue 20): kept in the history and the published InventoryMutation.
alter table outbox add column note text;
