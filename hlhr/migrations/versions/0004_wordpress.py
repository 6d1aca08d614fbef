"""wordpress: links from WordPress ids to local rows (idempotent WXR import)

Revision ID: 0004_wordpress
Revises: 0003_comments
Create Date: 2026-11-27 23:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_wordpress'
down_revision = '0003_comments'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('wordpress_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('wp_id', sa.String(length=200), nullable=False),
    sa.Column('local_id', sa.Integer(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wordpress_links'))
    )
    with op.batch_alter_table('wordpress_links', schema=None) as batch_op:
        batch_op.create_index('ix_wordpress_links_item', ['site', 'kind', 'wp_id'], unique=True)


def downgrade():
    with op.batch_alter_table('wordpress_links', schema=None) as batch_op:
        batch_op.drop_index('ix_wordpress_links_item')

    op.drop_table('wordpress_links')
